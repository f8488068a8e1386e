package io.switchboard.call.leg;

import io.switchboard.call.HangupCause;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.Optional;

/**
 * The Leg protocol, Call to edge: how a Call drives a participant that an edge owns (a SIP dialog,
 * a WebRTC session, a media-only leg such as an IVR or voicemail). Each edge node runs one leg
 * gateway ({@code ActorRef<LegCommand>}) and maps these to its wire protocol. Edges report back to
 * the Call entity with {@code io.switchboard.call.Call.LegReport}s, addressed by call id through
 * Cluster Sharding, so that a Call restarted on another node still hears its legs.
 *
 * <p>Commands are told, not asked: a Call never waits on an edge. Every command is idempotent per
 * {@code (callId, legId)} because a recovered Call re-sends what it cannot prove was done.
 */
public sealed interface LegCommand extends ProtobufSerializable
    permits LegCommand.OfferLeg, LegCommand.AlertLeg, LegCommand.AnswerLeg, LegCommand.UpdateLegMedia,
    LegCommand.HoldLeg, LegCommand.ResumeLeg, LegCommand.HangupLeg, LegCommand.SendDtmf,
    LegCommand.TransferOutcome, LegCommand.MoveLeg {

  String callId();

  String legId();

  /**
   * Start an outgoing leg to a device (SIP: INVITE to the contact; WebRTC: an incoming-call
   * message to the session). {@code offer} is the caller's session description when it has one.
   */
  record OfferLeg(String callId, String legId, String tenantId, String contactUri, Party caller, Party callee,
                  Optional<String> offer) implements LegCommand {}

  /** Tell an incoming leg that the far end is ringing (SIP 180), or with early media (183 + SDP). */
  record AlertLeg(String callId, String legId, Optional<String> earlyMedia) implements LegCommand {}

  /** Answer an incoming leg (SIP 200 OK) with the far end's session description. */
  record AnswerLeg(String callId, String legId, String answer) implements LegCommand {}

  /** The far end changed (a transfer): renegotiate this leg's media towards {@code description}. */
  record UpdateLegMedia(String callId, String legId, String description) implements LegCommand {}

  /** Put this leg's party on hold (SIP re-INVITE a=sendonly, or music on hold from the media plane). */
  record HoldLeg(String callId, String legId) implements LegCommand {}

  record ResumeLeg(String callId, String legId) implements LegCommand {}

  /**
   * End the leg: CANCEL or a final error response ({@code cause.sipStatus()}) when unanswered, BYE
   * when answered. Sent again for a leg the edge no longer knows, it is ignored.
   */
  record HangupLeg(String callId, String legId, HangupCause cause) implements LegCommand {}

  /** Play DTMF digits towards this leg's party (RFC 4733 or SIP INFO, per the leg's negotiation). */
  record SendDtmf(String callId, String legId, String digits) implements LegCommand {}

  /** How a transfer this leg asked for ended (SIP NOTIFY with a sipfrag to the REFER). */
  record TransferOutcome(String callId, String legId, boolean succeeded, HangupCause cause) implements LegCommand {}

  /**
   * The leg now belongs to call {@code newCallId} (attended transfer replaced the call it was in):
   * report to that call from now on.
   */
  record MoveLeg(String callId, String legId, String newCallId) implements LegCommand {}
}
