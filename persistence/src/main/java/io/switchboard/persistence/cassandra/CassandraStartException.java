package io.switchboard.persistence.cassandra;

/** The embedded Cassandra could not start; the message is one sentence an operator can act on. */
public final class CassandraStartException extends RuntimeException {
  public CassandraStartException(String message) {
    super(message);
  }

  public CassandraStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
