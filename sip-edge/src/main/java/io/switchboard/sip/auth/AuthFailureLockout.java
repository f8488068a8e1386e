package io.switchboard.sip.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Locks a key out after repeated failed authentications: the online dictionary attack that digest
 * cannot prevent by itself (RFC 7616 §5 security considerations; SIP registrars are a constant
 * target of password-guessing scanners). Keys are whatever the edge chooses; the intended ones are
 * the source address (one scanner, many usernames) and {@code username@realm} (many addresses,
 * one account).
 *
 * <p>Rule: {@code maxFailures} failures within {@code window} (a sliding window over the most recent
 * failures, so failures cannot be spread across a fixed-window boundary) lock the key for
 * {@code lockout}. While locked the edge should refuse without checking the password, so failures
 * during a lockout are ignored and do not extend it (otherwise an attacker who knows a username could
 * keep its owner locked out for ever with one request every few minutes, not just while attacking).
 *
 * <p>{@link #recordSuccess} forgets a key's failures but does not lift an active lockout. Use it for
 * the {@code username@realm} key. For a source-address key, think before calling it: an attacker
 * holding one valid account could interleave successful logins to reset the address's count.
 *
 * <p>Bounded: at most {@code maxEntries} keys; when full, the least recently used key that is not
 * locked is evicted (looking at a few of the eldest), else the eldest outright, so a flood of new
 * keys evicts idle entries before it evicts lockouts. Thread-safe (one lock; every operation is O(1)).
 */
public final class AuthFailureLockout {

  public static final int DEFAULT_MAX_FAILURES = 5;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_ENTRIES = 100_000;
  /** How many of the eldest entries eviction looks at for one that is not locked. */
  private static final int EVICTION_SCAN = 16;

  private final Clock clock;
  private final int maxFailures;
  private final long windowMillis;
  private final long lockoutMillis;
  private final int maxEntries;
  /** Access order: the eldest entry is the least recently used. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private static final class Entry {
    /** The times of the most recent failures, a ring of maxFailures slots. */
    final long[] failures;
    int count;
    int next;
    long lockedUntil = Long.MIN_VALUE;

    Entry(int maxFailures) {
      failures = new long[maxFailures];
    }

    void clearFailures() {
      count = 0;
      next = 0;
    }

    long newestFailure() {
      return failures[(next - 1 + failures.length) % failures.length];
    }
  }

  public AuthFailureLockout(Clock clock) {
    this(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_LOCKOUT, DEFAULT_MAX_ENTRIES);
  }

  public AuthFailureLockout(Clock clock, int maxFailures, Duration window, Duration lockout, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxFailures < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("maxFailures and maxEntries must be positive");
    }
    if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
      throw new IllegalArgumentException("window and lockout must be positive");
    }
    this.maxFailures = maxFailures;
    this.windowMillis = window.toMillis();
    this.lockoutMillis = lockout.toMillis();
    this.maxEntries = maxEntries;
  }

  /** True while the key is locked out. */
  public boolean isLocked(String key) {
    Objects.requireNonNull(key, "key");
    long now = clock.millis();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e == null) {
        return false;
      }
      if (e.lockedUntil > now) {
        return true;
      }
      forgetIfIdle(key, e, now);
      return false;
    }
  }

  /** One failed authentication for this key; the one that completes {@code maxFailures} in the window locks it. */
  public void recordFailure(String key) {
    Objects.requireNonNull(key, "key");
    long now = clock.millis();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e == null) {
        makeRoom();
        e = new Entry(maxFailures);
        entries.put(key, e);
      }
      if (e.lockedUntil > now) {
        return;
      }
      if (e.lockedUntil != Long.MIN_VALUE) { // a lockout has ended: start afresh
        e.lockedUntil = Long.MIN_VALUE;
        e.clearFailures();
      }
      e.failures[e.next] = now;
      e.next = (e.next + 1) % maxFailures;
      e.count = Math.min(e.count + 1, maxFailures);
      // With the ring full, failures[next] is the oldest of the last maxFailures failures.
      if (e.count == maxFailures && now - e.failures[e.next] < windowMillis) {
        e.lockedUntil = now + lockoutMillis;
        e.clearFailures();
      }
    }
  }

  /** A successful authentication: the key's failures are forgotten; an active lockout stays. */
  public void recordSuccess(String key) {
    Objects.requireNonNull(key, "key");
    long now = clock.millis();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e != null && e.lockedUntil <= now) {
        entries.remove(key);
      }
    }
  }

  /** How many keys are tracked (for tests and metrics). */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private void forgetIfIdle(String key, Entry e, long now) {
    if (isIdle(e, now)) {
      entries.remove(key);
    }
  }

  /** Not locked, and no failure recent enough to count towards a lockout. */
  private boolean isIdle(Entry e, long now) {
    return e.lockedUntil <= now && (e.count == 0 || now - e.newestFailure() >= windowMillis);
  }

  private void makeRoom() {
    if (entries.size() < maxEntries) {
      return;
    }
    long now = clock.millis();
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    for (int i = 0; i < EVICTION_SCAN && it.hasNext(); i++) {
      if (it.next().getValue().lockedUntil <= now) {
        it.remove();
        return;
      }
    }
    it = entries.entrySet().iterator();
    it.next();
    it.remove();
  }
}
