package io.switchboard.call;

import io.switchboard.config.SettingsReader;
import java.time.Duration;

/**
 * Limits every call obeys.
 *
 * @param noAnswerTimeout a call still ringing after this ends with cause "no answer"
 * @param maxCallDuration a connected call is ended after this
 */
public record CallSettings(Duration noAnswerTimeout, Duration maxCallDuration) {

  public static CallSettings read(SettingsReader root) {
    SettingsReader c = root.at("switchboard.calls");
    Duration noAnswer = c.positiveDuration("no-answer-timeout");
    Duration max = c.positiveDuration("max-call-duration");
    if (max.compareTo(noAnswer) <= 0) {
      c.problem("max-call-duration", "must be longer than " + c.fullKey("no-answer-timeout"));
    }
    return new CallSettings(noAnswer, max);
  }
}
