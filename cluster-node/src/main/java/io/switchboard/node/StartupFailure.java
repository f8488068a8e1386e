package io.switchboard.node;

/** The node cannot start for a reason an operator can fix; the message is one sentence saying how. */
public final class StartupFailure extends RuntimeException {
  public StartupFailure(String message) {
    super(message);
  }

  public StartupFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
