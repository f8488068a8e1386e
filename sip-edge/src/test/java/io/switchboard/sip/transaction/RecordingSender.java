package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipEncoder;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipSender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** A {@link SipSender} that records what was sent and when (virtual time), and can be told to fail. */
final class RecordingSender implements SipSender {

  record Sent(long atMillis, SipMessage message, Flow flow) {
    String text() {
      return new String(SipEncoder.encode(message), StandardCharsets.ISO_8859_1);
    }

    String label() {
      return message instanceof SipRequest r ? r.method() : Integer.toString(((SipResponse) message).status());
    }
  }

  private final ManualTimers clock;
  private final List<Sent> sent = new ArrayList<>();
  private Throwable failure;

  RecordingSender(ManualTimers clock) {
    this.clock = clock;
  }

  /** From now on every send fails with {@code cause} (null: succeed again). */
  synchronized void failWith(Throwable cause) {
    this.failure = cause;
  }

  @Override
  public synchronized CompletionStage<Void> send(SipMessage message, Flow flow) {
    sent.add(new Sent(clock.now(), message, flow));
    return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
  }

  synchronized List<Sent> all() {
    return List.copyOf(sent);
  }

  synchronized List<Sent> matching(Predicate<Sent> p) {
    return sent.stream().filter(p).toList();
  }

  /** "label@time" for everything sent, e.g. "INVITE@0", "100@0", "ACK@1000". */
  synchronized List<String> timeline() {
    return sent.stream().map(s -> s.label() + "@" + s.atMillis()).toList();
  }

  /** Virtual times at which a message with this label (method or status) was sent. */
  synchronized List<Long> timesOf(String label) {
    return sent.stream().filter(s -> s.label().equals(label)).map(Sent::atMillis).toList();
  }

  synchronized Sent last() {
    return sent.get(sent.size() - 1);
  }

  synchronized int count() {
    return sent.size();
  }
}
