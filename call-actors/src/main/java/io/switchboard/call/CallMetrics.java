package io.switchboard.call;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;

/**
 * The Call entity's metrics, through Kamon (exported by the node's Prometheus endpoint). The
 * journal-write total is also kept in this JVM for benchmarks and tools that run without a
 * reporter.
 */
public final class CallMetrics {
  private static final Counter STARTED = Kamon.counter("switchboard.calls.started",
      "Calls started on this node").withoutTags();
  private static final Counter WRITES = Kamon.counter("switchboard.calls.journal-writes",
      "Atomic journal writes by Call entities on this node (each may hold several events)").withoutTags();
  private static final Counter EVENTS = Kamon.counter("switchboard.calls.events",
      "Events persisted by Call entities on this node").withoutTags();
  private static final Histogram ANSWER_TIME = Kamon.histogram("switchboard.calls.time-to-answer",
      "From the caller's dial to the answer", MeasurementUnit.time().milliseconds()).withoutTags();
  private static final LongAdder WRITES_HERE = new LongAdder();
  private static final LongAdder EVENTS_HERE = new LongAdder();

  private CallMetrics() {}

  static void started() {
    STARTED.increment();
  }

  static void persisted(int events) {
    WRITES.increment();
    EVENTS.increment(events);
    WRITES_HERE.increment();
    EVENTS_HERE.add(events);
  }

  static void answered(Duration afterStart) {
    ANSWER_TIME.record(Math.max(0, afterStart.toMillis()));
  }

  static void ended(CallRecord record) {
    Kamon.counter("switchboard.calls.ended", "Calls ended on this node, by disposition")
        .withTag("disposition", record.disposition().name()).withTag("cause", record.cause().name()).increment();
  }

  /** Journal writes by Call entities in this JVM since it started. */
  public static long journalWrites() {
    return WRITES_HERE.sum();
  }

  /** Events persisted by Call entities in this JVM since it started. */
  public static long eventsPersisted() {
    return EVENTS_HERE.sum();
  }
}
