package io.switchboard.sip.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks digest nonces without shared state: any edge node can check a nonce another
 * node issued, because the nonce carries its issue time and an HMAC under a cluster-wide secret
 * (the construction RFC 7616 §3.3 suggests: "time-stamp H(time-stamp ":" ETag ":" secret-data)").
 *
 * <p>Layout: {@code base64url(time (8 octets, epoch millis, big-endian) || random (8) ||
 * HMAC-SHA256(secret, time || random || realm)[0..16))}, 43 characters without padding. The realm
 * is inside the MAC so that a nonce issued for one tenant does not authenticate in another. The
 * random part makes every nonce unique even when two are issued in the same millisecond, so the
 * nonce-count state below is never shared between clients.
 *
 * <p>Replay (RFC 7616 §3.4, and §5 on replay attacks): {@link #acceptNonceCount} remembers per nonce
 * the highest nc accepted on this node and refuses anything not higher. That state is local and
 * bounded; it is the one part that is not cluster-wide (a request replayed to another node within
 * the nonce lifetime is not caught there; the lifetime bounds the window).
 *
 * <p>Thread-safe: checking is pure; the nonce-count table is guarded by a lock.
 */
public final class NonceService {

  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  /** How far in the future a nonce's time may be: clock differences between edge nodes. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_TRACKED = 100_000;
  /** 128 bits: an HMAC key shorter than that is guessable. */
  public static final int MIN_SECRET_LENGTH = 16;

  private static final int TIME_LENGTH = 8;
  private static final int RANDOM_LENGTH = 8;
  private static final int MAC_LENGTH = 16;
  private static final int RAW_LENGTH = TIME_LENGTH + RANDOM_LENGTH + MAC_LENGTH;
  private static final int ENCODED_LENGTH = 43;
  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec key;
  private final Clock clock;
  private final long lifetimeMillis;
  private final int maxTracked;
  private final SecureRandom random = new SecureRandom();

  private final Object lock = new Object();
  /** nonce → highest nc accepted, in insertion order (≈ issue order), so the eldest expire first. */
  private final LinkedHashMap<String, Tracked> counts = new LinkedHashMap<>();
  /** Issue time of the newest nonce evicted while still live: such nonces are refused, not forgotten. */
  private long evictedUpTo = Long.MIN_VALUE;

  private static final class Tracked {
    final long issuedAt;
    long highestNc;

    Tracked(long issuedAt, long nc) {
      this.issuedAt = issuedAt;
      this.highestNc = nc;
    }
  }

  public NonceService(byte[] secret, Clock clock) {
    this(secret, clock, DEFAULT_LIFETIME);
  }

  /**
   * @param secret   the cluster-wide HMAC key (at least 16 octets; copied)
   * @param lifetime how long a nonce is VALID; after that it is STALE. RFC 7616 leaves it to the
   *                 server; 5 minutes covers a REGISTER refresh cycle's retries without keeping
   *                 captured nonces useful for long.
   */
  public NonceService(byte[] secret, Clock clock, Duration lifetime) {
    this(secret, clock, lifetime, DEFAULT_MAX_TRACKED);
  }

  NonceService(byte[] secret, Clock clock, Duration lifetime, int maxTracked) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("secret must be at least " + MIN_SECRET_LENGTH + " octets");
    }
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive");
    }
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be positive");
    }
    this.key = new SecretKeySpec(secret.clone(), HMAC);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifetimeMillis = lifetime.toMillis();
    this.maxTracked = maxTracked;
  }

  /** A new nonce for a challenge in this realm. */
  public String issue(String realm) {
    Objects.requireNonNull(realm, "realm");
    byte[] raw = new byte[RAW_LENGTH];
    ByteBuffer.wrap(raw).putLong(clock.millis());
    byte[] r = new byte[RANDOM_LENGTH];
    random.nextBytes(r);
    System.arraycopy(r, 0, raw, TIME_LENGTH, RANDOM_LENGTH);
    System.arraycopy(mac(raw, realm), 0, raw, TIME_LENGTH + RANDOM_LENGTH, MAC_LENGTH);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * VALID if some node with this secret issued {@code nonce} for {@code realm} no longer than the
   * lifetime ago; STALE if it did but longer ago; INVALID otherwise, including a time more than
   * {@link #MAX_CLOCK_SKEW} in the future (only a forger or a badly wrong clock produces that).
   * Never throws on any input.
   */
  public NonceStatus check(String nonce, String realm) {
    if (realm == null) {
      return NonceStatus.INVALID;
    }
    Optional<byte[]> decoded = decode(nonce);
    if (decoded.isEmpty()) {
      return NonceStatus.INVALID;
    }
    byte[] raw = decoded.get();
    byte[] expected = mac(raw, realm);
    byte[] given = Arrays.copyOfRange(raw, TIME_LENGTH + RANDOM_LENGTH, RAW_LENGTH);
    if (!MessageDigest.isEqual(expected, given)) {
      return NonceStatus.INVALID;
    }
    long issuedAt = ByteBuffer.wrap(raw).getLong();
    long now = clock.millis();
    if (issuedAt > now + MAX_CLOCK_SKEW.toMillis()) {
      return NonceStatus.INVALID;
    }
    return expired(issuedAt, now) ? NonceStatus.STALE : NonceStatus.VALID;
  }

  /**
   * Records that a request with this nonce and nonce count was accepted, refusing a count not
   * higher than the highest already accepted for the nonce: a captured request replayed verbatim
   * carries the same nc (RFC 7616 §3.4: nc lets the server detect request replays by keeping its own
   * copy of the count).
   *
   * <p>Call only after {@link #check} returned VALID and the response verified: this method cannot
   * check the MAC (it has no realm), and recording before verifying would let anyone who saw a
   * nonce push its count up and lock its owner out.
   *
   * <p>Counts are per nonce, whatever the cnonce: nc counts every request the client sent with
   * that nonce (RFC 2617 §3.2.2), so keying on the cnonce as well would only weaken the check.
   * cnonce must be non-empty (a qop=auth response without one is malformed).
   *
   * <p>Bounded: at most {@link #DEFAULT_MAX_TRACKED} nonces by default; entries go when their nonce
   * expires. When the table is full the eldest entry is evicted and every nonce issued no later
   * than it is refused from then on if it is not in the table, so eviction can cost a client a
   * re-challenge but never re-opens a replay.
   *
   * @return false for a replay, a count out of 1..0xFFFFFFFF, an expired or undecodable nonce
   */
  public boolean acceptNonceCount(String nonce, String cnonce, long nc) {
    if (cnonce == null || cnonce.isEmpty() || nc < 1 || nc > 0xFFFF_FFFFL) {
      return false;
    }
    Optional<byte[]> decoded = decode(nonce);
    if (decoded.isEmpty()) {
      return false;
    }
    long issuedAt = ByteBuffer.wrap(decoded.get()).getLong();
    long now = clock.millis();
    if (expired(issuedAt, now) || issuedAt > now + MAX_CLOCK_SKEW.toMillis()) {
      return false;
    }
    synchronized (lock) {
      purgeExpired(now);
      Tracked t = counts.get(nonce);
      if (t == null) {
        if (issuedAt <= evictedUpTo) {
          return false;
        }
        if (counts.size() >= maxTracked) {
          Iterator<Map.Entry<String, Tracked>> eldest = counts.entrySet().iterator();
          evictedUpTo = Math.max(evictedUpTo, eldest.next().getValue().issuedAt);
          eldest.remove();
        }
        counts.put(nonce, new Tracked(issuedAt, nc));
        return true;
      }
      if (nc <= t.highestNc) {
        return false;
      }
      t.highestNc = nc;
      return true;
    }
  }

  /** How many nonces the replay table holds (for tests and metrics). */
  int trackedNonces() {
    synchronized (lock) {
      return counts.size();
    }
  }

  private void purgeExpired(long now) {
    Iterator<Map.Entry<String, Tracked>> it = counts.entrySet().iterator();
    while (it.hasNext()) {
      if (!expired(it.next().getValue().issuedAt, now)) {
        return;
      }
      it.remove();
    }
  }

  private boolean expired(long issuedAt, long now) {
    return now - issuedAt > lifetimeMillis;
  }

  /**
   * The 32 octets of a well-formed nonce. The text must be exactly the canonical encoding of what
   * it decodes to: base64 decoders ignore the unused low bits of the last character, and without
   * this check four spellings of each nonce would pass the MAC.
   */
  private static Optional<byte[]> decode(String nonce) {
    if (nonce == null || nonce.length() != ENCODED_LENGTH) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != RAW_LENGTH || !Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(nonce)) {
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private byte[] mac(byte[] raw, String realm) {
    try {
      Mac mac = Mac.getInstance(HMAC); // per call: Mac is not thread-safe
      mac.init(key);
      mac.update(raw, 0, TIME_LENGTH + RANDOM_LENGTH);
      mac.update(realm.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(mac.doFinal(), MAC_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform must provide " + HMAC, e);
    }
  }
}
