package io.switchboard.call.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user's call forwarding rules, each optional. Targets are addresses to dial in the user's own
 * tenant: an extension or an external number, resolved by the directory when the Call dials them.
 *
 * <p>Loops: a rule that points back at the user itself is refused here (a loop of one). Loops across
 * users (A forwards to B, B forwards to A) cannot be seen from one user; the Call keeps the
 * forwarding chain of each attempt and ends it with {@code LOOP_DETECTED} when an address repeats.
 *
 * @param always forward every call, without ringing
 * @param busy forward when the user is busy (do not disturb, or on a call without call waiting, or
 *     every device answered busy)
 * @param noAnswer forward after ringing for a while
 * @param unreachable forward when no device is registered (or the user is explicitly offline)
 */
public record Forwarding(Optional<String> always, Optional<String> busy, Optional<NoAnswer> noAnswer,
                         Optional<String> unreachable) {

  /**
   * An empty target means "no rule", as it does on the wire (Protobuf has no absent string): so
   * clearing a rule by sending an empty target works, and a rule can never be an empty address.
   */
  public Forwarding {
    always = always.filter(t -> !t.isEmpty());
    busy = busy.filter(t -> !t.isEmpty());
    noAnswer = noAnswer.filter(n -> !n.target().isEmpty());
    unreachable = unreachable.filter(t -> !t.isEmpty());
  }

  /** No rule at all: the default. */
  public static final Forwarding NONE = new Forwarding(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty());

  /** Shortest ringing before forwarding or giving up: less would not let anyone reach a phone. */
  public static final Duration MIN_RING_TIME = Duration.ofSeconds(5);
  /** Longest ringing: beyond five minutes a caller has long hung up, and a Call holds resources. */
  public static final Duration MAX_RING_TIME = Duration.ofSeconds(300);
  /** What can be dialled: an extension or a number (E.164 with '+', or a short code with * and #). */
  static final Pattern DIALLABLE = Pattern.compile("[+]?[0-9A-Za-z*#._-]{1,64}");

  /** Forward to {@code target} when nobody answered within {@code after}. */
  public record NoAnswer(String target, Duration after) {}

  /**
   * What is wrong with these rules for a user reachable at {@code ownAddresses}, empty when they are
   * valid. Malformed input is a value here: the entity answers it as an error and persists nothing.
   */
  public List<String> problems(Set<String> ownAddresses) {
    List<String> problems = new ArrayList<>();
    checkTarget("always", always, ownAddresses, problems);
    checkTarget("busy", busy, ownAddresses, problems);
    checkTarget("no-answer", noAnswer.map(NoAnswer::target), ownAddresses, problems);
    checkTarget("unreachable", unreachable, ownAddresses, problems);
    noAnswer.flatMap(n -> ringTimeProblem("no-answer forwarding delay", n.after())).ifPresent(problems::add);
    return problems;
  }

  /** A problem with a ringing time outside {@link #MIN_RING_TIME}..{@link #MAX_RING_TIME}, if any. */
  static Optional<String> ringTimeProblem(String what, Duration time) {
    if (time.compareTo(MIN_RING_TIME) < 0 || time.compareTo(MAX_RING_TIME) > 0) {
      return Optional.of(what + " must be between " + MIN_RING_TIME.toSeconds() + " and "
          + MAX_RING_TIME.toSeconds() + " s, not " + time.toMillis() + " ms");
    }
    return Optional.empty();
  }

  private static void checkTarget(String rule, Optional<String> target, Set<String> ownAddresses,
                                  List<String> problems) {
    target.ifPresent(t -> {
      if (!DIALLABLE.matcher(t).matches()) {
        problems.add(rule + " forwarding target '" + t + "' is not an extension or a number");
      } else if (ownAddresses.contains(t)) {
        problems.add(rule + " forwarding target '" + t + "' is this user's own address");
      }
    });
  }
}
