package io.switchboard.call.media;

import static io.switchboard.call.CommonCodecs.optional;

import io.switchboard.call.media.proto.AllocateEndpointProto;
import io.switchboard.call.media.proto.DtmfProto;
import io.switchboard.call.media.proto.EndpointAllocatedProto;
import io.switchboard.call.media.proto.EndpointCommandProto;
import io.switchboard.call.media.proto.EndpointPairProto;
import io.switchboard.call.media.proto.MediaReportProto;
import io.switchboard.call.media.proto.PlayProto;
import io.switchboard.call.media.proto.PlaybackFinishedProto;
import io.switchboard.call.media.proto.QualityProto;
import io.switchboard.call.media.proto.RecordingCommandProto;
import io.switchboard.call.media.proto.RecordingCompletedProto;
import io.switchboard.call.media.proto.StartRecordingProto;
import io.switchboard.call.media.proto.ToneProto;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import java.time.Duration;
import java.util.List;

/** Protobuf mappings of the media control protocol. */
public final class MediaCodecs implements CodecRegistry {

  static ToneProto tone(MediaCommand.Tone tone) {
    return ToneProto.valueOf(tone.name());
  }

  static MediaCommand.Tone tone(ToneProto proto) {
    return proto == ToneProto.TONE_UNSPECIFIED || proto == ToneProto.UNRECOGNIZED ? MediaCommand.Tone.NONE
        : MediaCommand.Tone.valueOf(proto.name());
  }

  static MediaReportProto report(MediaReport r) {
    MediaReportProto.Builder b = MediaReportProto.newBuilder().setCallId(r.callId()).setEndpointId(r.endpointId());
    if (r instanceof MediaReport.DtmfDetected d) {
      b.setDtmf(DtmfProto.newBuilder().setDigit(String.valueOf(d.digit())).setDurationMillis(d.duration().toMillis()));
    } else if (r instanceof MediaReport.PlaybackFinished p) {
      b.setPlaybackFinished(PlaybackFinishedProto.newBuilder().setInterrupted(p.interrupted()));
    } else if (r instanceof MediaReport.RecordingCompleted c) {
      b.setRecordingCompleted(RecordingCompletedProto.newBuilder().setRecordingId(c.recordingId())
          .setDurationMillis(c.duration().toMillis()).setSha256(c.sha256()));
    } else if (r instanceof MediaReport.QualityReport q) {
      b.setQuality(QualityProto.newBuilder().setPackets(q.packets()).setLost(q.lost())
          .setJitterMillis(q.jitterMillis()).setRoundTripMillis(q.roundTripMillis()).setMos(q.mos()));
    } else {
      b.setFailure(((MediaReport.EndpointFailed) r).reason());
    }
    return b.build();
  }

  static MediaReport report(MediaReportProto p) {
    return switch (p.getKindCase()) {
      case DTMF -> new MediaReport.DtmfDetected(p.getCallId(), p.getEndpointId(),
          p.getDtmf().getDigit().isEmpty() ? '?' : p.getDtmf().getDigit().charAt(0),
          Duration.ofMillis(p.getDtmf().getDurationMillis()));
      case PLAYBACK_FINISHED -> new MediaReport.PlaybackFinished(p.getCallId(), p.getEndpointId(),
          p.getPlaybackFinished().getInterrupted());
      case RECORDING_COMPLETED -> new MediaReport.RecordingCompleted(p.getCallId(), p.getEndpointId(),
          p.getRecordingCompleted().getRecordingId(), Duration.ofMillis(p.getRecordingCompleted().getDurationMillis()),
          p.getRecordingCompleted().getSha256());
      case QUALITY -> new MediaReport.QualityReport(p.getCallId(), p.getEndpointId(), p.getQuality().getPackets(),
          p.getQuality().getLost(), p.getQuality().getJitterMillis(), p.getQuality().getRoundTripMillis(),
          p.getQuality().getMos());
      case FAILURE, KIND_NOT_SET -> new MediaReport.EndpointFailed(p.getCallId(), p.getEndpointId(), p.getFailure());
    };
  }

  private static <R extends MediaReport> ProtoCodec<R, MediaReportProto> reportCodec(Class<R> type, String name) {
    return ProtoCodec.of(type, "media." + name, MediaReportProto.parser(), MediaCodecs::report,
        p -> type.cast(report(p)));
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        ProtoCodec.withContext(MediaCommand.AllocateEndpoint.class, "media.AllocateEndpoint",
            AllocateEndpointProto.parser(),
            (c, ctx) -> AllocateEndpointProto.newBuilder().setCallId(c.callId()).setLegId(c.legId())
                .setRemote(c.remote().orElse("")).setReportTo(ctx.serializeRef(c.reportTo()))
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.AllocateEndpoint(p.getCallId(), p.getLegId(), optional(p.getRemote()),
                ctx.resolveRef(p.getReportTo()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.of(MediaCommand.EndpointAllocated.class, "media.EndpointAllocated",
            EndpointAllocatedProto.parser(),
            e -> EndpointAllocatedProto.newBuilder().setEndpointId(e.endpointId()).setLocal(e.local()).build(),
            p -> new MediaCommand.EndpointAllocated(p.getEndpointId(), p.getLocal())),
        ProtoCodec.withContext(MediaCommand.Bridge.class, "media.Bridge", EndpointPairProto.parser(),
            (c, ctx) -> EndpointPairProto.newBuilder().setCallId(c.callId()).setEndpointA(c.endpointA())
                .setEndpointB(c.endpointB()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.Bridge(p.getCallId(), p.getEndpointA(), p.getEndpointB(),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.Unbridge.class, "media.Unbridge", EndpointPairProto.parser(),
            (c, ctx) -> EndpointPairProto.newBuilder().setCallId(c.callId()).setEndpointA(c.endpointA())
                .setEndpointB(c.endpointB()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.Unbridge(p.getCallId(), p.getEndpointA(), p.getEndpointB(),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.Play.class, "media.Play", PlayProto.parser(),
            (c, ctx) -> PlayProto.newBuilder().setCallId(c.callId()).setEndpointId(c.endpointId())
                .setPrompt(c.prompt().orElse("")).setTone(tone(c.tone())).setLoop(c.loop())
                .setInterruptibleByDtmf(c.interruptibleByDtmf()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.Play(p.getCallId(), p.getEndpointId(), optional(p.getPrompt()),
                tone(p.getTone()), p.getLoop(), p.getInterruptibleByDtmf(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.StopPlayback.class, "media.StopPlayback", EndpointCommandProto.parser(),
            (c, ctx) -> EndpointCommandProto.newBuilder().setCallId(c.callId()).setEndpointId(c.endpointId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.StopPlayback(p.getCallId(), p.getEndpointId(),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.Release.class, "media.Release", EndpointCommandProto.parser(),
            (c, ctx) -> EndpointCommandProto.newBuilder().setCallId(c.callId()).setEndpointId(c.endpointId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.Release(p.getCallId(), p.getEndpointId(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.StartRecording.class, "media.StartRecording",
            StartRecordingProto.parser(),
            (c, ctx) -> StartRecordingProto.newBuilder().setCallId(c.callId()).setRecordingId(c.recordingId())
                .addAllEndpointIds(c.endpointIds()).setMaxDurationMillis(c.maxDuration().toMillis())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.StartRecording(p.getCallId(), p.getRecordingId(), p.getEndpointIdsList(),
                Duration.ofMillis(p.getMaxDurationMillis()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.PauseRecording.class, "media.PauseRecording",
            RecordingCommandProto.parser(),
            (c, ctx) -> RecordingCommandProto.newBuilder().setCallId(c.callId()).setRecordingId(c.recordingId())
                .setPaused(c.paused()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.PauseRecording(p.getCallId(), p.getRecordingId(), p.getPaused(),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(MediaCommand.StopRecording.class, "media.StopRecording",
            RecordingCommandProto.parser(),
            (c, ctx) -> RecordingCommandProto.newBuilder().setCallId(c.callId()).setRecordingId(c.recordingId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new MediaCommand.StopRecording(p.getCallId(), p.getRecordingId(),
                ctx.resolveRef(p.getReplyTo()))),
        reportCodec(MediaReport.DtmfDetected.class, "DtmfDetected"),
        reportCodec(MediaReport.PlaybackFinished.class, "PlaybackFinished"),
        reportCodec(MediaReport.RecordingCompleted.class, "RecordingCompleted"),
        reportCodec(MediaReport.QualityReport.class, "QualityReport"),
        reportCodec(MediaReport.EndpointFailed.class, "EndpointFailed"));
  }
}
