package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;

/**
 * Why the directory refused a command. It is the error of the {@code StatusReply}, so that the
 * edges can tell an unknown tenant or entry (404) from a conflict (409) and an invalid value (400)
 * without parsing messages. Messages start with the field they are about, e.g.
 * {@code "extension: must be 2 to 8 digits"}.
 */
public final class DirectoryError extends RuntimeException implements ProtobufSerializable {
  private static final long serialVersionUID = 1L;

  public enum Kind { NOT_FOUND, CONFLICT, INVALID }

  private final Kind kind;

  public DirectoryError(Kind kind, String message) {
    super(message, null, false, false); // a reply, not a failure: no stack trace
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static DirectoryError notFound(String message) {
    return new DirectoryError(Kind.NOT_FOUND, message);
  }

  public static DirectoryError conflict(String message) {
    return new DirectoryError(Kind.CONFLICT, message);
  }

  public static DirectoryError invalid(String message) {
    return new DirectoryError(Kind.INVALID, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectoryError e && e.kind == kind && e.getMessage().equals(getMessage());
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + getMessage().hashCode();
  }

  @Override
  public String toString() {
    return "DirectoryError[" + kind + ": " + getMessage() + "]";
  }
}
