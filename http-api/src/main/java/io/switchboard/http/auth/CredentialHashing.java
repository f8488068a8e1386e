package io.switchboard.http.auth;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where slow hashing runs (bcrypt of SIP passwords and of tokens): a few threads of its own with a
 * bounded queue, so that it never blocks an actor or the HTTP dispatcher, and a burst of logins
 * is refused (503) instead of queueing without end.
 */
public final class CredentialHashing implements AutoCloseable {
  private final ThreadPoolExecutor executor;

  public CredentialHashing(int threads, int queueCapacity) {
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity), task -> {
          Thread t = new Thread(task, "credential-hashing-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code work} on a hashing thread; fails with {@link RejectedExecutionException} when the queue is full. */
  public <T> CompletionStage<T> submit(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
