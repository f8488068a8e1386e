package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NonceServiceTest {

  private static final byte[] SECRET = "cluster-wide secret, 32 octets!!".getBytes(StandardCharsets.US_ASCII);
  private static final String REALM = "acme.test";

  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final NonceService nonces = new NonceService(SECRET, clock);

  @Test
  void issuedNoncesAreValidInTheirRealmOnly() {
    String n = nonces.issue(REALM);
    assertEquals(43, n.length());
    assertTrue(n.matches("[A-Za-z0-9_-]{43}"), n); // base64url, no padding: safe in a quoted-string
    assertEquals(NonceStatus.VALID, nonces.check(n, REALM));
    assertEquals(NonceStatus.INVALID, nonces.check(n, "other.test"));
    assertEquals(NonceStatus.INVALID, nonces.check(n, "ACME.TEST"));
    assertEquals(NonceStatus.INVALID, nonces.check(n, null));
  }

  @Test
  void everyNonceIsDifferentEvenInTheSameMillisecond() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(nonces.issue(REALM)));
    }
  }

  @Test
  void anotherNodeWithTheSameSecretAcceptsIt() {
    NonceService otherNode = new NonceService(SECRET.clone(), clock);
    assertEquals(NonceStatus.VALID, otherNode.check(nonces.issue(REALM), REALM));
    byte[] otherSecret = SECRET.clone();
    otherSecret[0] ^= 1;
    assertEquals(NonceStatus.INVALID, new NonceService(otherSecret, clock).check(nonces.issue(REALM), REALM));
  }

  @Test
  void lifetimeBoundary() {
    String n = nonces.issue(REALM);
    clock.advance(NonceService.DEFAULT_LIFETIME);
    assertEquals(NonceStatus.VALID, nonces.check(n, REALM));
    clock.advance(Duration.ofMillis(1));
    assertEquals(NonceStatus.STALE, nonces.check(n, REALM));
    clock.advance(Duration.ofDays(365));
    assertEquals(NonceStatus.STALE, nonces.check(n, REALM)); // still authentic: stale, not invalid
    // a shorter configured lifetime
    NonceService quick = new NonceService(SECRET, clock, Duration.ofSeconds(30));
    String q = quick.issue(REALM);
    clock.advance(Duration.ofSeconds(31));
    assertEquals(NonceStatus.STALE, quick.check(q, REALM));
  }

  @Test
  void nonceFromTheFutureIsValidOnlyWithinTheSkew() {
    MutableClock ahead = new MutableClock(clock.instant().plus(NonceService.MAX_CLOCK_SKEW));
    assertEquals(NonceStatus.VALID, nonces.check(new NonceService(SECRET, ahead).issue(REALM), REALM));
    ahead.advance(Duration.ofMillis(1));
    assertEquals(NonceStatus.INVALID, nonces.check(new NonceService(SECRET, ahead).issue(REALM), REALM));
  }

  @Test
  void forgedAndMalformedNoncesAreInvalid() {
    String n = nonces.issue(REALM);
    byte[] raw = Base64.getUrlDecoder().decode(n);
    // change any octet: time, random or MAC
    for (int i = 0; i < raw.length; i++) {
      byte[] forged = raw.clone();
      forged[i] ^= 0x01;
      assertEquals(NonceStatus.INVALID, nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(forged),
          REALM), "octet " + i);
    }
    // move the time forward to extend a captured nonce: the MAC no longer matches
    byte[] extended = raw.clone();
    ByteBuffer.wrap(extended).putLong(ByteBuffer.wrap(raw).getLong() + 60_000);
    clock.advance(Duration.ofMinutes(6));
    assertEquals(NonceStatus.INVALID, nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(extended),
        REALM));
    for (String bad : new String[] {null, "", "abc", n + "A", n.substring(1), n + "=", n.replace(n.charAt(5), '+'),
        n.substring(0, 42) + "!", "A".repeat(43), "Zm9v"}) {
      assertEquals(NonceStatus.INVALID, nonces.check(bad, REALM), String.valueOf(bad));
    }
  }

  @Test
  void nonCanonicalBase64SpellingsAreInvalid() {
    // 43 characters carry 258 bits for 256: the last character has 2 unused bits a decoder ignores.
    String n = nonces.issue(REALM);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(n.charAt(42));
    int valid = 0;
    for (int low = 0; low < 4; low++) {
      String spelling = n.substring(0, 42) + alphabet.charAt((last & ~3) | low);
      if (nonces.check(spelling, REALM) == NonceStatus.VALID) {
        valid++;
        assertEquals(n, spelling);
      }
    }
    assertEquals(1, valid);
  }

  @Test
  void nonceCountsMustIncrease() {
    String n = nonces.issue(REALM);
    assertTrue(nonces.acceptNonceCount(n, "c1", 1));
    assertFalse(nonces.acceptNonceCount(n, "c1", 1)); // verbatim replay
    assertFalse(nonces.acceptNonceCount(n, "c2", 1)); // counts are per nonce, whatever the cnonce
    assertTrue(nonces.acceptNonceCount(n, "c1", 2));
    assertTrue(nonces.acceptNonceCount(n, "c1", 5)); // gaps are fine (lost requests)
    assertFalse(nonces.acceptNonceCount(n, "c1", 3)); // late arrival below the highest
    assertFalse(nonces.acceptNonceCount(n, "c1", 5));
    assertTrue(nonces.acceptNonceCount(n, "c1", 0xFFFF_FFFFL));
    // another nonce has its own count
    String m = nonces.issue(REALM);
    assertTrue(nonces.acceptNonceCount(m, "c1", 1));
  }

  @Test
  void nonceCountRefusals() {
    String n = nonces.issue(REALM);
    assertFalse(nonces.acceptNonceCount(n, "c", 0));
    assertFalse(nonces.acceptNonceCount(n, "c", -1));
    assertFalse(nonces.acceptNonceCount(n, "c", 0x1_0000_0000L));
    assertFalse(nonces.acceptNonceCount(n, "", 1));
    assertFalse(nonces.acceptNonceCount(n, null, 1));
    assertFalse(nonces.acceptNonceCount("not a nonce", "c", 1));
    assertFalse(nonces.acceptNonceCount(null, "c", 1));
    clock.advance(NonceService.DEFAULT_LIFETIME.plusMillis(1));
    assertFalse(nonces.acceptNonceCount(n, "c", 1)); // expired
  }

  @Test
  void trackingForgetsExpiredNonces() {
    for (int i = 0; i < 10; i++) {
      assertTrue(nonces.acceptNonceCount(nonces.issue(REALM), "c", 1));
    }
    assertEquals(10, nonces.trackedNonces());
    clock.advance(NonceService.DEFAULT_LIFETIME.plusMillis(1));
    assertTrue(nonces.acceptNonceCount(nonces.issue(REALM), "c", 1));
    assertEquals(1, nonces.trackedNonces());
  }

  @Test
  void evictionWhenFullNeverReopensAReplay() {
    NonceService small = new NonceService(SECRET, clock, NonceService.DEFAULT_LIFETIME, 3);
    List<String> issued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      issued.add(small.issue(REALM));
      clock.advance(Duration.ofMillis(10));
    }
    for (int i = 0; i < 4; i++) {
      assertTrue(small.acceptNonceCount(issued.get(i), "c", 1));
    }
    assertEquals(3, small.trackedNonces());
    // the first was evicted: replaying its nc=1 (or anything) is refused, not re-accepted
    assertFalse(small.acceptNonceCount(issued.get(0), "c", 1));
    assertFalse(small.acceptNonceCount(issued.get(0), "c", 2));
    // the tracked ones behave as before
    assertFalse(small.acceptNonceCount(issued.get(3), "c", 1));
    assertTrue(small.acceptNonceCount(issued.get(3), "c", 2));
    // a nonce issued after the evicted one is still accepted
    assertTrue(small.acceptNonceCount(small.issue(REALM), "c", 1));
    assertEquals(3, small.trackedNonces());
  }

  @Test
  void concurrentCountsAreAcceptedAtMostOnce() throws Exception {
    String n = nonces.issue(REALM);
    AtomicInteger accepted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (long nc = 1; nc <= 2000; nc++) {
            if (nonces.acceptNonceCount(n, "c", nc)) {
              accepted.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(accepted.get() >= 1 && accepted.get() <= 2000, "accepted " + accepted.get());
    assertFalse(nonces.acceptNonceCount(n, "c", 2000));
  }

  @Test
  void constructorRefusesWeakSettings() {
    assertThrows(IllegalArgumentException.class, () -> new NonceService(new byte[15], clock));
    assertThrows(IllegalArgumentException.class, () -> new NonceService(SECRET, clock, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new NonceService(SECRET, clock, Duration.ofSeconds(-1)));
    // the secret is copied: changing the caller's array changes nothing
    byte[] secret = SECRET.clone();
    NonceService s = new NonceService(secret, clock);
    String n = s.issue(REALM);
    secret[0] ^= 1;
    assertEquals(NonceStatus.VALID, s.check(n, REALM));
    assertNotEquals(nonces.issue(REALM), nonces.issue(REALM));
  }
}
