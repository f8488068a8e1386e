package io.switchboard.http.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first owner token of an installation, written once to {@code <data-dir>/admin-token}.
 *
 * <p>At the first start of an installation no token exists and nobody could call the admin API,
 * so a node with the {@code api} role makes an owner token. Order matters for crash safety: the
 * file is created first (owner read/write only, set at creation: there is no moment at which
 * others could read it), then the token is offered to {@link AccessTokens}, which accepts only the
 * first one ever. A node whose offer loses (another node bootstrapped, or tokens already exist)
 * deletes its file, since that token would never work. A node that finds the file at start offers
 * its token again, which is accepted if it is the one the installation took (covers a crash
 * between writing the file and the entity's answer). The file is never rewritten, and the token
 * never logged.
 */
public final class AdminTokenFile {
  private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);
  public static final String FILE_NAME = "admin-token";

  private AdminTokenFile() {}

  /** What the start did with the file. */
  public enum Outcome {
    /** This start made the installation's first owner token and wrote it to the file. */
    CREATED,
    /** The file was there from an earlier start and holds the installation's bootstrap token. */
    KEPT,
    /** The file was there but holds a token this installation never took (another node bootstrapped). */
    FOREIGN,
    /** The installation already had tokens; no file was written. */
    NOT_NEEDED
  }

  public record Result(Path file, Outcome outcome) {
    /** The line the start prints; never the token. */
    public String describe() {
      return switch (outcome) {
        case CREATED -> "Owner token written to " + file + " (readable by this user only): use it as Bearer token";
        case KEPT -> "Owner token: in " + file;
        case FOREIGN -> "The token in " + file + " was not taken by this installation; ask an owner for a token";
        case NOT_NEEDED -> "Admin API tokens already exist; no owner token file written";
      };
    }

    public Optional<Path> tokenFile() {
      return outcome == Outcome.CREATED || outcome == Outcome.KEPT ? Optional.of(file) : Optional.empty();
    }
  }

  /** Blocking (file IO, one bcrypt, one ask): call it from start-up code, never from an actor. */
  public static Result bootstrap(ActorSystem<?> system, Path dataDir, int bcryptCost, Duration timeout) {
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
        boolean ours = TokenSecrets.tokenId(existing).isPresent() && offer(system, existing, bcryptCost, timeout);
        if (!ours) {
          log.warn("{} holds no token of this installation; it is left as it is", file);
        }
        return new Result(file, ours ? Outcome.KEPT : Outcome.FOREIGN);
      }
      TokenSecrets.NewToken token = TokenSecrets.generate();
      write(file, token.value());
      if (offer(system, token.value(), bcryptCost, timeout)) {
        log.info("Bootstrap owner token {} written to {}", token.tokenId(), file);
        return new Result(file, Outcome.CREATED);
      }
      Files.delete(file);
      return new Result(file, Outcome.NOT_NEEDED);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the owner token file " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean offer(ActorSystem<?> system, String value, int bcryptCost, Duration timeout) {
    String tokenId = TokenSecrets.tokenId(value).orElseThrow();
    TokenRecord record = new TokenRecord(tokenId, Role.OWNER, Optional.empty(), "bootstrap owner token",
        TokenSecrets.hash(value, bcryptCost), Instant.now(), Optional.empty());
    try {
      return AccessTokens.ref(system)
          .<AccessTokens.BootstrapOutcome>askWithStatus(
              replyTo -> new AccessTokens.BootstrapOwnerToken(record, replyTo), timeout)
          .toCompletableFuture().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS).issued();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the access-token store did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing the owner token", e);
    }
  }

  /** Creates the file with rw------- from the start (not chmod afterwards) and syncs it. */
  private static void write(Path file, String token) throws IOException {
    EnumSet<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    try (FileChannel channel = FileChannel.open(file,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(ownerOnly))) {
      channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
  }
}
