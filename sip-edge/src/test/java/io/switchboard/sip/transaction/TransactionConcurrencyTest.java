package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.Via;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Several "event loops" feed the same messages concurrently while a "timer thread" advances the
 * virtual clock (to 4 s, short of every timer that ends a transaction): each request
 * must reach the TU exactly once, each client final exactly once and never followed by a
 * provisional, and each retransmitted non-2xx final must get its own ACK.
 */
class TransactionConcurrencyTest {

  private static final int FEEDERS = 6;
  private static final int REQUESTS = 200;
  private static final int CLIENTS = 100;

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final TransactionLayer layer = new TransactionLayer(sender, clock, TimerSettings.defaults(), user, 10_000);

  @RepeatedTest(3)
  void retransmissionsFromManyThreadsCreateOneTransactionEach() throws Exception {
    // The TU answers at once, from the feeding thread, racing the retransmissions.
    user.reactWith((tx, request) -> {
      int n = Integer.parseInt(SipMessages.callId(request).split("@")[0].substring(1));
      int status = request.method().equals("INVITE") ? (n % 3 == 0 ? 486 : n % 3 == 1 ? 200 : 180) : 200;
      tx.respond(SipMessages.withToTag(SipMessages.response(request, status), "t" + n));
    });

    List<SipMessage> incoming = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      incoming.add(serverRequest(i));
    }
    Map<String, RecordingListener> nonInvite = new HashMap<>();
    Map<String, RecordingListener> invite = new HashMap<>();
    for (int i = 0; i < CLIENTS; i++) {
      String branch = TransactionLayer.newBranch();
      RecordingListener l = new RecordingListener(clock);
      layer.sendRequest(clientRequest("OPTIONS", branch), Sip.UDP, l);
      nonInvite.put(branch, l);
      incoming.add(Sip.response(100, "Trying", branch, 1, "OPTIONS"));
      incoming.add(Sip.response(200, "OK", branch, 1, "OPTIONS"));

      String inviteBranch = TransactionLayer.newBranch();
      RecordingListener il = new RecordingListener(clock);
      layer.sendRequest(clientRequest("INVITE", inviteBranch), Sip.UDP, il);
      invite.put(inviteBranch, il);
      incoming.add(Sip.response(180, "Ringing", inviteBranch, 1, "INVITE"));
      incoming.add(Sip.response(486, "Busy Here", inviteBranch, 1, "INVITE"));
    }

    // Even threads feed the messages in one order and meet at a barrier before each, so that three
    // threads race on the same new request; odd threads feed shuffled orders, racing across
    // transactions. Meanwhile the "timer thread" advances the clock to 4 s: timers A, E and G fire
    // concurrently, and nothing ends (K and I are T4 = 5 s, the others 64*T1).
    int racers = (FEEDERS + 1) / 2;
    CyclicBarrier lockstep = new CyclicBarrier(racers);
    ExecutorService pool = Executors.newFixedThreadPool(FEEDERS + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < FEEDERS; t++) {
      boolean racer = t % 2 == 0;
      List<SipMessage> mine = new ArrayList<>(incoming);
      if (!racer) {
        Collections.shuffle(mine, new Random(t));
      }
      done.add(pool.submit(() -> {
        go.await();
        for (SipMessage m : mine) {
          if (racer) {
            lockstep.await(30, TimeUnit.SECONDS);
          }
          layer.onMessage(m, Sip.UDP);
        }
        return null;
      }));
    }
    done.add(pool.submit(() -> {
      go.await();
      for (int step = 0; step < 40; step++) {
        clock.advanceMillis(100);
        Thread.sleep(1);
      }
      return null;
    }));
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS); // rethrows anything a thread threw
    }
    pool.shutdown();
    assertEquals(List.of(), user.strays(), "no transaction ended while messages were fed");
    assertTrue(sender.all().stream().allMatch(s -> s.message() != null), "a null message was sent");

    // Server side: one onRequest per request, all still live.
    Map<String, Integer> perCallId = new HashMap<>();
    user.requests().forEach(r -> perCallId.merge(SipMessages.callId(r.request()), 1, Integer::sum));
    assertEquals(REQUESTS, perCallId.size());
    assertTrue(perCallId.values().stream().allMatch(n -> n == 1), perCallId::toString);
    // Every final arrived by 4 s, so by 31 s timer K (T4) ended the non-INVITE clients, while no
    // 64*T1 timer (D, H, J, L, all started at or after 0) has fired yet.
    clock.advanceTo(31_000);
    assertEquals(REQUESTS + CLIENTS, layer.size());

    // Client side: exactly one final each, never a provisional after it.
    nonInvite.values().forEach(l -> assertOneFinalLast(l, "200"));
    invite.forEach((branch, l) -> {
      assertOneFinalLast(l, "486");
      long acks = sender.matching(s -> s.label().equals("ACK")
          && SipMessages.topVia(s.message()).map(Via::branch).orElse("").equals(branch)).size();
      assertEquals(FEEDERS, acks, "one ACK per copy of the 486");
    });
  }

  private static void assertOneFinalLast(RecordingListener l, String finalStatus) {
    List<String> statuses = l.events().stream().map(e -> e.split("@")[0]).toList();
    assertEquals(1, statuses.stream().filter(finalStatus::equals).count(), statuses::toString);
    assertEquals(finalStatus, statuses.get(statuses.size() - 1), statuses::toString);
  }

  private static SipRequest serverRequest(int i) {
    String method = i % 2 == 0 ? "INVITE" : "OPTIONS";
    return (SipRequest) Sip.parse(
        method + " sip:bob@biloxi.example.com SIP/2.0",
        Sip.via("z9hG4bKsrv" + i),
        "Max-Forwards: 70",
        "From: " + Sip.FROM,
        "To: " + Sip.TO,
        "Call-ID: c" + i + "@atlanta.example.com",
        "CSeq: 1 " + method,
        "Content-Length: 0");
  }

  private static SipRequest clientRequest(String method, String branch) {
    return Sip.request(method, Sip.via(branch), Sip.TO, 1);
  }

}
