package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipResponse;
import java.util.ArrayList;
import java.util.List;

/** A {@link ClientTransactionListener} that records "event@virtual-time" strings. */
final class RecordingListener implements ClientTransactionListener {

  private final ManualTimers clock;
  private final List<String> events = new ArrayList<>();
  private final List<SipResponse> responses = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();

  RecordingListener(ManualTimers clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void onResponse(SipResponse response) {
    responses.add(response);
    events.add(response.status() + "@" + clock.now());
  }

  @Override
  public synchronized void onTimeout() {
    events.add("timeout@" + clock.now());
  }

  @Override
  public synchronized void onTransportError(Throwable cause) {
    errors.add(cause);
    events.add("error@" + clock.now());
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized List<SipResponse> responses() {
    return List.copyOf(responses);
  }

  synchronized List<Throwable> errors() {
    return List.copyOf(errors);
  }
}
