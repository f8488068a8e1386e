package io.switchboard.call;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a call or a leg ended, with the SIP final response (RFC 3261 §21) an edge sends for it and
 * the ITU-T Q.850 cause it carries (RFC 3326 Reason header, ISUP on trunks). The ordinal is not
 * persisted: the Protobuf enum has its own numbers.
 */
public enum HangupCause {
  /** A party hung up after the call was answered. BYE, Q.850 16 normal clearing. */
  NORMAL(200, 16, "Normal clearing"),
  /** The callee is busy and nothing took the call over. */
  BUSY(486, 17, "User busy"),
  /** Nobody answered before the no-answer timer. */
  NO_ANSWER(480, 19, "No answer from user"),
  /** The callee declined. */
  REJECTED(603, 21, "Call rejected"),
  /** The callee exists but cannot be reached now (no registered device, offline). */
  UNAVAILABLE(480, 20, "Subscriber absent"),
  /** The caller gave up before an answer (CANCEL). */
  CANCELLED(487, 16, "Request terminated"),
  /** Something on our side or a peer's failed. */
  FAILED(500, 41, "Temporary failure"),
  /** The dialled number is not in the directory. */
  NOT_FOUND(404, 1, "Unallocated number"),
  /** Forwarding rules formed a loop or exceeded the hop limit. */
  LOOP_DETECTED(482, 25, "Exchange routing error"),
  /** The call reached its maximum duration. */
  MAX_DURATION(200, 102, "Recovery on timer expiry");

  private final int sipStatus;
  private final int q850Cause;
  private final String reason;

  HangupCause(int sipStatus, int q850Cause, String reason) {
    this.sipStatus = sipStatus;
    this.q850Cause = q850Cause;
    this.reason = reason;
  }

  /** The SIP final response for an unanswered leg; 200 means the leg was answered and ends with BYE. */
  public int sipStatus() {
    return sipStatus;
  }

  public int q850Cause() {
    return q850Cause;
  }

  public String reason() {
    return reason;
  }

  /** The cause a SIP final response from a callee means (RFC 3261 §21, RFC 3398 §7.2.4.1). */
  public static HangupCause fromSipStatus(int status) {
    return switch (status) {
      case 486, 600 -> BUSY;
      case 408, 480 -> NO_ANSWER;
      case 603, 403 -> REJECTED;
      case 404, 484, 485, 604 -> NOT_FOUND;
      case 482, 483 -> LOOP_DETECTED;
      case 487 -> CANCELLED;
      case 410, 503 -> UNAVAILABLE;
      default -> status >= 200 && status < 300 ? NORMAL : FAILED;
    };
  }

  public static Optional<HangupCause> fromQ850(int cause) {
    return Arrays.stream(values()).filter(c -> c.q850Cause == cause).findFirst();
  }
}
