package io.switchboard.call.media;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;

/**
 * What the media plane reports about an endpoint, to the {@code reportTo} of its allocation:
 * stream-level events only, never one per packet.
 */
public sealed interface MediaReport extends ProtobufSerializable
    permits MediaReport.DtmfDetected, MediaReport.PlaybackFinished, MediaReport.RecordingCompleted,
    MediaReport.QualityReport, MediaReport.EndpointFailed {

  String callId();

  String endpointId();

  /** A digit heard on the endpoint (RFC 4733 telephone-event or in-band). */
  record DtmfDetected(String callId, String endpointId, char digit, Duration duration) implements MediaReport {}

  record PlaybackFinished(String callId, String endpointId, boolean interrupted) implements MediaReport {}

  /** A recording is complete on disk: its length, and a SHA-256 of the file for integrity. */
  record RecordingCompleted(String callId, String endpointId, String recordingId, Duration duration,
                            String sha256) implements MediaReport {}

  /** Per-stream quality (RFC 3550 A.8 jitter, loss) and an E-model MOS estimate. */
  record QualityReport(String callId, String endpointId, long packets, long lost, double jitterMillis,
                       double roundTripMillis, double mos) implements MediaReport {}

  /** The endpoint cannot carry media any more (its worker or node failed). */
  record EndpointFailed(String callId, String endpointId, String reason) implements MediaReport {}
}
