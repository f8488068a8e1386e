package io.switchboard.call;

import io.switchboard.config.SettingsReader;
import java.time.Duration;

/**
 * Limits every call obeys.
 *
 * @param noAnswerTimeout a call still ringing after this ends with cause "no answer"
 * @param maxCallDuration a connected call is ended after this
 * @param maxForwards how many times one call may be forwarded or transferred before it is
 *     ended as a loop (the forwarding chain also refuses to visit an address twice)
 */
public record CallSettings(Duration noAnswerTimeout, Duration maxCallDuration, int maxForwards) {

  public static CallSettings read(SettingsReader root) {
    SettingsReader c = root.at("switchboard.calls");
    Duration noAnswer = c.positiveDuration("no-answer-timeout");
    Duration max = c.positiveDuration("max-call-duration");
    if (max.compareTo(noAnswer) <= 0) {
      c.problem("max-call-duration", "must be longer than " + c.fullKey("no-answer-timeout"));
    }
    int maxForwards = c.intInRange("max-forwards", 1, 70);
    return new CallSettings(noAnswer, max, maxForwards);
  }
}
