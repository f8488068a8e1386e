package io.switchboard.call.media;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The media control protocol: the Call's view of the media plane. A Call asks a media node for
 * an endpoint per leg (an RTP/RTCP port pair, or one muxed port) and tells it what to do with the
 * audio; it never sees a packet. Stream-level happenings come back as {@link MediaReport}s. The
 * media-actors module implements it (the media plane issue); until then calls exchange session
 * descriptions end to end and no command is sent.
 *
 * <p>Every command is idempotent per its ids, so a Call recovered on another node may repeat
 * what it cannot prove was done; every command is answered.
 */
public sealed interface MediaCommand extends ProtobufSerializable
    permits MediaCommand.AllocateEndpoint, MediaCommand.Bridge, MediaCommand.Unbridge, MediaCommand.Play,
    MediaCommand.StopPlayback, MediaCommand.StartRecording, MediaCommand.PauseRecording,
    MediaCommand.StopRecording, MediaCommand.Release {

  String callId();

  /**
   * An endpoint for leg {@code legId}, answering the leg's session description {@code remote}
   * (an offer or an answer) or offering one when empty. {@code reportTo} hears its reports.
   */
  record AllocateEndpoint(String callId, String legId, Optional<String> remote, ActorRef<MediaReport> reportTo,
                          ActorRef<StatusReply<EndpointAllocated>> replyTo) implements MediaCommand {}

  /** The endpoint, and the description the leg's peer is to receive (our address, ports, codecs). */
  record EndpointAllocated(String endpointId, String local) implements ProtobufSerializable {}

  /** Relay audio between two endpoints both ways (transcoding if their codecs differ). */
  record Bridge(String callId, String endpointA, String endpointB, ActorRef<StatusReply<Done>> replyTo)
      implements MediaCommand {}

  record Unbridge(String callId, String endpointA, String endpointB, ActorRef<StatusReply<Done>> replyTo)
      implements MediaCommand {}

  /** What to play: a stored prompt, or a generated tone. */
  enum Tone { NONE, RINGBACK, BUSY, MUSIC_ON_HOLD }

  /**
   * Play {@code prompt} (a prompt id of the tenant's prompt store) or {@code tone} into an
   * endpoint, looping if asked (music on hold), stopped by a DTMF digit if interruptible.
   */
  record Play(String callId, String endpointId, Optional<String> prompt, Tone tone, boolean loop,
              boolean interruptibleByDtmf, ActorRef<StatusReply<Done>> replyTo) implements MediaCommand {}

  record StopPlayback(String callId, String endpointId, ActorRef<StatusReply<Done>> replyTo)
      implements MediaCommand {}

  /** Record the endpoints' audio into one file, one channel per endpoint in order (caller left). */
  record StartRecording(String callId, String recordingId, List<String> endpointIds, Duration maxDuration,
                        ActorRef<StatusReply<Done>> replyTo) implements MediaCommand {
    public StartRecording {
      endpointIds = List.copyOf(endpointIds);
    }
  }

  /** Pause (silence is recorded, for PCI: card numbers are never stored) or resume a recording. */
  record PauseRecording(String callId, String recordingId, boolean paused, ActorRef<StatusReply<Done>> replyTo)
      implements MediaCommand {}

  record StopRecording(String callId, String recordingId, ActorRef<StatusReply<Done>> replyTo)
      implements MediaCommand {}

  /** Give the endpoint's ports back; releasing an unknown endpoint succeeds. */
  record Release(String callId, String endpointId, ActorRef<StatusReply<Done>> replyTo) implements MediaCommand {}
}
