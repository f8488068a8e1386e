package io.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void pastTheCallRateNewCallsGet503WithRetryAfterWhileOtherRequestsPass() throws Exception {
    // 2 calls/s, bucket of 2: a burst of 3 within microseconds admits exactly 2.
    OverloadGuard guard = new OverloadGuard(2, 1000, 7);
    assertEquals(Optional.empty(), guard.admit(ip("192.0.2.1"), true, true));
    assertEquals(Optional.empty(), guard.admit(ip("192.0.2.2"), true, true));
    assertEquals(Optional.of(7), guard.admit(ip("192.0.2.3"), true, true));
    // A REGISTER is not a new call: the node's call rate does not apply to it.
    assertEquals(Optional.empty(), guard.admit(ip("192.0.2.3"), false, true));
  }

  @Test
  void oneFloodingSourceIsRefusedWhileOthersAreServed() throws Exception {
    OverloadGuard guard = new OverloadGuard(1000, 3, 5);
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), guard.admit(ip("198.51.100.9"), false, true));
    }
    assertEquals(Optional.of(5), guard.admit(ip("198.51.100.9"), false, true));
    assertEquals(Optional.empty(), guard.admit(ip("198.51.100.10"), false, true));
    // A trunk's address is exempt from the per-source rate, not from the call rate.
    assertEquals(Optional.empty(), guard.admit(ip("198.51.100.9"), true, false));
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new OverloadGuard(1, 1, 0));
  }
}
