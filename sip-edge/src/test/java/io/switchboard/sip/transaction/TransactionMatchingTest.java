package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** §17.1.3 / §17.2.3 matching, §9.2 CANCEL matching, RFC 2543 fallback, strays, the table limit. */
class TransactionMatchingTest {

  private static final String BRANCH = "z9hG4bK74bf9";

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final RecordingListener listener = new RecordingListener(clock);

  private TransactionLayer layer(int max) {
    return new TransactionLayer(sender, clock, TimerSettings.defaults(), user, max);
  }

  private static SipResponse tagged(SipRequest request, int status) {
    return SipMessages.withToTag(SipMessages.response(request, status), "8321234356");
  }

  // ---- CANCEL (§9.2)

  @Test
  void cancelHasItsOwnTransactionAndFindsTheInviteItCancels() {
    TransactionLayer layer = layer(100);
    SipRequest invite = Sip.invite(BRANCH, "UDP");
    layer.onMessage(invite, Sip.UDP);
    SipRequest cancel = Sip.request("CANCEL", Sip.via(BRANCH), Sip.TO, 314159);
    layer.onMessage(cancel, Sip.UDP);

    assertEquals(2, user.requests().size(), "CANCEL is a new request with its own transaction (§9.2)");
    ServerTransaction inviteTx = user.requests().get(0).transaction();
    ServerTransaction cancelTx = user.requests().get(1).transaction();
    assertNotSame(inviteTx, cancelTx);
    assertSame(cancel, cancelTx.request());
    assertEquals(2, layer.size());
    assertEquals(Optional.of(inviteTx), layer.findInviteServerTransaction(cancel));

    // The CANCEL transaction answers its own retransmissions; the INVITE one is untouched.
    cancelTx.respond(SipMessages.response(cancel, 200));
    layer.onMessage(cancel, Sip.UDP);
    assertEquals(List.of("100", "200", "200"), sender.all().stream().map(RecordingSender.Sent::label).toList());
    assertEquals("314159 CANCEL", sender.last().message().headers().first("CSeq").orElseThrow());
  }

  @Test
  void cancelWithAnotherBranchOrSentByFindsNothing() {
    TransactionLayer layer = layer(100);
    layer.onMessage(Sip.invite(BRANCH, "UDP"), Sip.UDP);
    assertEquals(Optional.empty(), layer.findInviteServerTransaction(
        Sip.request("CANCEL", Sip.via("z9hG4bKother"), Sip.TO, 314159)));
    assertEquals(Optional.empty(), layer.findInviteServerTransaction(
        Sip.request("CANCEL", Sip.via("UDP", "evil.example.com", BRANCH), Sip.TO, 314159)));
  }

  @Test
  void cancelOfAnEndedInviteFindsNothing() {
    TransactionLayer layer = layer(100);
    layer.onMessage(Sip.invite(BRANCH, "TCP"), Sip.TCP);
    user.onlyTransaction().respond(tagged(user.onlyTransaction().request(), 486));
    layer.onMessage(Sip.request("ACK", Sip.via("TCP", "pc33.atlanta.example.com", BRANCH), Sip.TO_TAGGED, 314159),
        Sip.TCP);
    assertEquals(0, layer.size());
    assertEquals(Optional.empty(), layer.findInviteServerTransaction(
        Sip.request("CANCEL", Sip.via("TCP", "pc33.atlanta.example.com", BRANCH), Sip.TO, 314159)));
  }

  // ---- §17.2.3 keys

  @Test
  void sameBranchFromAnotherSentByIsANewTransaction() {
    TransactionLayer layer = layer(100);
    layer.onMessage(Sip.request("OPTIONS", Sip.via("UDP", "a.example.com", BRANCH), Sip.TO, 1), Sip.UDP);
    layer.onMessage(Sip.request("OPTIONS", Sip.via("UDP", "a.example.com:5070", BRANCH), Sip.TO, 1), Sip.UDP);
    layer.onMessage(Sip.request("OPTIONS", Sip.via("UDP", "b.example.com", BRANCH), Sip.TO, 1), Sip.UDP);
    layer.onMessage(Sip.request("OPTIONS", Sip.via("UDP", "A.EXAMPLE.COM", "z9hG4bK74BF9"), Sip.TO, 1), Sip.UDP);
    assertEquals(3, user.requests().size(), "host and branch compare case-insensitively (§7.3.1), ports do not default");
  }

  @Test
  void sameBranchWithAnotherMethodIsANewTransaction() {
    TransactionLayer layer = layer(100);
    layer.onMessage(Sip.request("OPTIONS", BRANCH), Sip.UDP);
    layer.onMessage(Sip.request("INFO", BRANCH), Sip.UDP);
    assertEquals(2, user.requests().size());
  }

  // ---- RFC 2543 fallback (§17.2.3)

  @Test
  void rfc2543InviteRetransmissionAckAndCancelMatchWithoutABranch() {
    TransactionLayer layer = layer(100);
    SipRequest invite = Sip.invite("", "UDP");
    layer.onMessage(invite, Sip.UDP);
    layer.onMessage(Sip.invite("", "UDP"), Sip.UDP);
    assertEquals(1, user.requests().size());
    assertEquals(List.of("100@0", "100@0"), sender.timeline());

    SipRequest cancel = Sip.request("CANCEL", Sip.via(""), Sip.TO, 314159);
    assertEquals(Optional.of(user.onlyTransaction()), layer.findInviteServerTransaction(cancel));

    user.onlyTransaction().respond(tagged(invite, 486));
    // An ACK with another To tag acknowledges some other response: not ours.
    layer.onMessage(Sip.request("ACK", Sip.via(""), Sip.TO + ";tag=other", 314159), Sip.UDP);
    assertEquals(1, user.acks().size());
    layer.onMessage(Sip.request("ACK", Sip.via(""), Sip.TO_TAGGED, 314159), Sip.UDP);
    assertEquals(1, user.acks().size(), "the ACK with the response's To tag is absorbed");
    clock.advanceMillis(100_000);
    assertEquals(List.of(0L), sender.timesOf("486"), "Confirmed: timer G stopped");
    assertEquals(0, layer.size(), "timer I ended it");
  }

  @Test
  void rfc2543ReInviteAckMatchesOnItsOwnToTag() {
    TransactionLayer layer = layer(100);
    SipRequest reInvite = Sip.request("INVITE", Sip.via(""), Sip.TO_TAGGED, 2);
    layer.onMessage(reInvite, Sip.UDP);
    user.onlyTransaction().respond(SipMessages.response(reInvite, 488));
    layer.onMessage(Sip.request("ACK", Sip.via(""), Sip.TO_TAGGED, 2), Sip.UDP);
    assertEquals(List.of(), user.acks());
    clock.advanceMillis(10_000);
    assertEquals(0, layer.size());
  }

  // ---- responses

  @Test
  void responseMatchingNoClientTransactionIsStray() {
    TransactionLayer layer = layer(100);
    SipResponse ok = Sip.response(200, "OK", "z9hG4bKnotours", 1, "INVITE");
    layer.onMessage(ok, Sip.TCP);
    assertEquals(1, user.strays().size());
    assertSame(ok, user.strays().get(0).response());
    assertEquals(Sip.TCP, user.strays().get(0).flow());
    assertEquals(0, layer.size());
  }

  // ---- the table limit

  @Test
  void overTheLimitANewRequestGetsAStateless503WithRetryAfter() {
    TransactionLayer layer = layer(2);
    layer.onMessage(Sip.request("OPTIONS", "z9hG4bK1"), Sip.UDP);
    layer.onMessage(Sip.request("OPTIONS", "z9hG4bK2"), Sip.UDP);
    SipRequest third = Sip.request("OPTIONS", "z9hG4bK3");
    layer.onMessage(third, Sip.UDP);
    layer.onMessage(third, Sip.UDP);

    assertEquals(2, user.requests().size());
    assertEquals(2, layer.size());
    assertEquals(List.of("503@0", "503@0"), sender.timeline(), "each copy answered, none remembered");
    SipResponse busy = (SipResponse) sender.last().message();
    assertEquals("Service Unavailable", busy.reason());
    assertEquals(Optional.of("5"), busy.headers().first("Retry-After"));
    assertTrue(SipMessages.to(busy).orElseThrow().tag().isPresent(), "§8.2.6.2: a To tag on a final response");
    assertEquals(third.headers().values("Via"), busy.headers().values("Via"));
    assertEquals(Sip.UDP, sender.last().flow());

    // Retransmissions of live transactions and ACKs still work at the limit.
    user.requests().get(0).transaction().respond(SipMessages.response(user.requests().get(0).request(), 200));
    layer.onMessage(Sip.request("OPTIONS", "z9hG4bK1"), Sip.UDP);
    assertEquals(List.of("503@0", "503@0", "200@0", "200@0"), sender.timeline());
    layer.onMessage(Sip.request("ACK", "z9hG4bKack"), Sip.UDP);
    assertEquals(1, user.acks().size());

    // Once one ends (timer J), there is room again.
    clock.advanceMillis(32_000);
    assertEquals(1, layer.size());
    layer.onMessage(third, Sip.UDP);
    assertEquals(3, user.requests().size());
    assertEquals(2, layer.size());
  }

  @Test
  void overTheLimitSendRequestFailsWithATransportError() {
    TransactionLayer layer = layer(1);
    layer.onMessage(Sip.request("OPTIONS", "z9hG4bK1"), Sip.UDP);
    ClientTransaction tx = layer.sendRequest(Sip.request("OPTIONS", "z9hG4bKout"), Sip.UDP, listener);
    assertTrue(tx.isTerminated());
    assertEquals(List.of("error@0"), listener.events());
    assertEquals(List.of(), sender.timeline(), "nothing sent");
    assertEquals(1, layer.size());
  }

  // ---- sendRequest preconditions and branches

  @Test
  void sendRequestRejectsWhatNoTransactionMaySend() {
    TransactionLayer layer = layer(10);
    assertThrows(IllegalArgumentException.class,
        () -> layer.sendRequest(Sip.request("ACK", "z9hG4bKack"), Sip.UDP, listener));
    assertThrows(IllegalArgumentException.class,
        () -> layer.sendRequest(Sip.request("OPTIONS", "nocookie"), Sip.UDP, listener));
    assertThrows(IllegalArgumentException.class,
        () -> layer.sendRequest(Sip.request("OPTIONS", ""), Sip.UDP, listener));
    layer.sendRequest(Sip.request("OPTIONS", "z9hG4bKdup"), Sip.UDP, listener);
    assertThrows(IllegalArgumentException.class,
        () -> layer.sendRequest(Sip.request("OPTIONS", "z9hG4bKdup"), Sip.UDP, listener));
    assertEquals(1, layer.size());
    assertEquals(1, sender.count());
  }

  @Test
  void newBranchHasTheCookieAnd128RandomBits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String b = TransactionLayer.newBranch();
      assertTrue(b.matches("z9hG4bK[0-9a-f]{32}"), b);
      assertTrue(seen.add(b), "duplicate branch " + b);
    }
  }

  @Test
  void closeCancelsEverythingAndDropsLaterMessages() {
    TransactionLayer layer = layer(10);
    ClientTransaction tx = layer.sendRequest(Sip.request("OPTIONS", "z9hG4bKc1"), Sip.UDP, listener);
    layer.onMessage(Sip.invite(BRANCH, "UDP"), Sip.UDP);
    assertEquals(2, layer.size());
    layer.close();
    assertEquals(0, layer.size());
    assertTrue(tx.isTerminated());
    assertEquals(0, clock.pending(), "every timer cancelled");
    layer.onMessage(Sip.request("OPTIONS", "z9hG4bKlate"), Sip.UDP);
    assertEquals(1, user.requests().size());
    assertEquals(List.of(), listener.events(), "no callbacks on close");
    assertFalse(user.requests().get(0).transaction().isFinal());
    assertThrows(IllegalStateException.class,
        () -> layer.sendRequest(Sip.request("OPTIONS", "z9hG4bKc2"), Sip.UDP, listener));
  }
}
