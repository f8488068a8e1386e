package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A {@link TransactionUser} that records every call; optionally reacts to new requests. */
final class RecordingUser implements TransactionUser {

  record NewRequest(ServerTransaction transaction, SipRequest request) {}

  record Ack(SipRequest ack, Flow flow) {}

  record Stray(SipResponse response, Flow flow) {}

  private final List<NewRequest> requests = new ArrayList<>();
  private final List<Ack> acks = new ArrayList<>();
  private final List<Stray> strays = new ArrayList<>();
  private volatile BiConsumer<ServerTransaction, SipRequest> reaction = (tx, r) -> { };

  void reactWith(BiConsumer<ServerTransaction, SipRequest> reaction) {
    this.reaction = reaction;
  }

  @Override
  public void onRequest(ServerTransaction transaction, SipRequest request) {
    synchronized (this) {
      requests.add(new NewRequest(transaction, request));
    }
    reaction.accept(transaction, request);
  }

  @Override
  public synchronized void onAck(SipRequest ack, Flow flow) {
    acks.add(new Ack(ack, flow));
  }

  @Override
  public synchronized void onStrayResponse(SipResponse response, Flow flow) {
    strays.add(new Stray(response, flow));
  }

  synchronized List<NewRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized List<Ack> acks() {
    return List.copyOf(acks);
  }

  synchronized List<Stray> strays() {
    return List.copyOf(strays);
  }

  /** The only transaction created so far. */
  synchronized ServerTransaction onlyTransaction() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one new request, got " + requests.size());
    }
    return requests.get(0).transaction();
  }
}
