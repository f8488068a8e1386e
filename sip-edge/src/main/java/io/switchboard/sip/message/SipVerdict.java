package io.switchboard.sip.message;

import java.util.Objects;

/** What {@link SipValidation} decided about a well-formed message. */
public sealed interface SipVerdict permits SipVerdict.Acceptable, SipVerdict.Reject, SipVerdict.Discard {

  /** Nothing the edge must refuse before handing the message on. */
  record Acceptable() implements SipVerdict {}

  /** A request to answer with {@code status} (400, 415, 416, 420, ...) and this reason. */
  record Reject(int status, String reason) implements SipVerdict {
    public Reject {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A message to drop without answering (responses can never be answered). */
  record Discard(String reason) implements SipVerdict {
    public Discard {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
