package io.switchboard.sip;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission control at the door (issue: overload and abuse): past the configured rate of new calls
 * a new INVITE is answered 503 with Retry-After (RFC 3261 §21.5.4) before any work is done for it,
 * so calls in progress keep their share; and each source address has its own rate for new
 * dialogs and registrations, so one flooding peer is refused while everyone else is served.
 * Requests inside dialogs are never refused here. Token buckets, lock-free per bucket; the
 * per-source table is capped.
 */
public final class OverloadGuard {
  /** Sources tracked at once; past it idle buckets are dropped, and if none is idle the source is refused. */
  public static final int MAX_SOURCES = 100_000;

  private final TokenBucket calls;
  private final double perSourceRate;
  private final double perSourceBurst;
  private final Map<InetAddress, TokenBucket> sources = new ConcurrentHashMap<>();
  private final int retryAfterSeconds;

  /**
   * @param callsPerSecond   new INVITEs per second the node accepts (burst of one second's worth)
   * @param perSourcePerSecond new INVITEs and REGISTERs per second from one address
   * @param retryAfterSeconds what 503 tells the peer to wait
   */
  public OverloadGuard(double callsPerSecond, double perSourcePerSecond, int retryAfterSeconds) {
    if (callsPerSecond <= 0 || perSourcePerSecond <= 0 || retryAfterSeconds <= 0) {
      throw new IllegalArgumentException("rates and Retry-After must be positive");
    }
    this.calls = new TokenBucket(callsPerSecond, Math.max(1, callsPerSecond));
    this.perSourceRate = perSourcePerSecond;
    this.perSourceBurst = Math.max(1, perSourcePerSecond);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * Empty when admitted, else the Retry-After seconds for the 503. {@code perSource} false exempts the source from its own
   * rate (a carrier's trunk sends every call from one address) but not from the node's call rate.
   */
  public Optional<Integer> admit(InetAddress source, boolean newCall, boolean perSource) {
    long now = System.nanoTime();
    if (!perSource) {
      return newCall && !calls.take(now) ? Optional.of(retryAfterSeconds) : Optional.empty();
    }
    TokenBucket mine = sources.get(source);
    if (mine == null) {
      if (sources.size() >= MAX_SOURCES) {
        prune(now);
        if (sources.size() >= MAX_SOURCES) {
          return Optional.of(retryAfterSeconds);
        }
      }
      mine = sources.computeIfAbsent(source, s -> new TokenBucket(perSourceRate, perSourceBurst));
    }
    if (!mine.take(now)) {
      return Optional.of(retryAfterSeconds);
    }
    if (newCall && !calls.take(now)) {
      return Optional.of(retryAfterSeconds);
    }
    return Optional.empty();
  }

  private void prune(long now) {
    for (Iterator<TokenBucket> it = sources.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(now)) {
        it.remove();
      }
    }
  }

  /** A token bucket refilled continuously; synchronized per bucket (uncontended in practice). */
  static final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, double capacity) {
      this.ratePerNano = perSecond / 1e9;
      this.capacity = capacity;
      this.tokens = capacity;
      this.last = System.nanoTime();
    }

    synchronized boolean take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
      last = now;
    }
  }
}
