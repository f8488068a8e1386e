package io.switchboard.http.auth;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import io.switchboard.persistence.sharding.CoreEntities;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The admin API's access tokens: one sharded, event-sourced entity ({@link #ENTITY_ID}) on the
 * {@code core} role. It stores hashes only; {@link ApiAuth} asks it on every request, so a
 * revocation counts on every node at once. Being one entity also makes the bootstrap race-free:
 * of several nodes offering a first owner token at the same time, the one it accepts first wins.
 */
public final class AccessTokens
    extends EventSourcedBehaviorWithEnforcedReplies<AccessTokens.Command, AccessTokens.Event, AccessTokens.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "AccessTokens");
  public static final String ENTITY_ID = "access-tokens";

  public sealed interface Command extends ProtobufSerializable
      permits IssueToken, BootstrapOwnerToken, RevokeToken, GetToken, ListTokens {}

  /** Stores a new token; repeating it with the same record answers it again. */
  public record IssueToken(TokenRecord token, ActorRef<StatusReply<TokenRecord>> replyTo) implements Command {}

  /**
   * Stores the installation's first owner token unless any token exists; answers whether this one
   * was taken (also when it is repeated after being taken).
   */
  public record BootstrapOwnerToken(TokenRecord token, ActorRef<StatusReply<BootstrapOutcome>> replyTo)
      implements Command {}

  /** Idempotent: revoking a revoked token answers it again. */
  public record RevokeToken(String tokenId, Instant at, ActorRef<StatusReply<TokenRecord>> replyTo)
      implements Command {
    public RevokeToken {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  public record GetToken(String tokenId, ActorRef<StatusReply<TokenRecord>> replyTo) implements Command {}

  public record ListTokens(ActorRef<StatusReply<TokenRecords>> replyTo) implements Command {}

  public record BootstrapOutcome(boolean issued) implements ProtobufSerializable {}

  public record TokenRecords(List<TokenRecord> tokens) implements ProtobufSerializable {
    public TokenRecords {
      tokens = List.copyOf(tokens);
    }
  }

  public sealed interface Event extends ProtobufSerializable permits TokenIssued, TokenRevoked {}

  public record TokenIssued(TokenRecord token, boolean bootstrap) implements Event {}

  public record TokenRevoked(String tokenId, Instant at) implements Event {
    public TokenRevoked {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /** Every token ever issued (revoked ones stay, so an id is never reused), by id. */
  public record State(SortedMap<String, TokenRecord> tokens, Optional<String> bootstrapTokenId)
      implements ProtobufSerializable {
    static final State EMPTY = new State(new TreeMap<>(), Optional.empty());

    public State {
      tokens = Collections.unmodifiableSortedMap(new TreeMap<>(tokens));
    }

    State apply(Event event) {
      TreeMap<String, TokenRecord> next = new TreeMap<>(tokens);
      if (event instanceof TokenIssued issued) {
        next.put(issued.token().tokenId(), issued.token());
        return new State(next, issued.bootstrap() ? Optional.of(issued.token().tokenId()) : bootstrapTokenId);
      }
      TokenRevoked revoked = (TokenRevoked) event;
      next.computeIfPresent(revoked.tokenId(), (id, token) -> token.revoked(revoked.at()));
      return new State(next, bootstrapTokenId);
    }
  }

  public static void init(ActorSystem<?> system) {
    CoreEntities.init(system, ENTITY_KEY, AccessTokens::create);
  }

  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return CoreEntities.ref(system, ENTITY_KEY, ENTITY_ID);
  }

  public static Behavior<Command> create(PersistenceId persistenceId) {
    return new AccessTokens(persistenceId);
  }

  private AccessTokens(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(IssueToken.class, this::issue)
        .onCommand(BootstrapOwnerToken.class, this::bootstrap)
        .onCommand(RevokeToken.class, this::revoke)
        .onCommand(GetToken.class, (s, c) -> Effect().reply(c.replyTo(), find(s, c.tokenId())))
        .onCommand(ListTokens.class, (s, c) -> Effect().reply(c.replyTo(),
            StatusReply.success(new TokenRecords(List.copyOf(s.tokens().values())))))
        .build();
  }

  /**
   * Live tokens one scope (a tenant, or the installation's owners) may hold: every token lives in
   * this one entity, so a tenant must not be able to grow it without bound.
   */
  public static final int MAX_LIVE_TOKENS_PER_SCOPE = 50;
  public static final String TOO_MANY = "too many tokens: at most " + MAX_LIVE_TOKENS_PER_SCOPE
      + " unrevoked tokens per tenant (and for owners); revoke unused ones first";

  private ReplyEffect<Event, State> issue(State state, IssueToken cmd) {
    TokenRecord existing = state.tokens().get(cmd.token().tokenId());
    if (existing != null) {
      return Effect().reply(cmd.replyTo(), existing.equals(cmd.token()) ? StatusReply.success(existing)
          : StatusReply.error("token " + cmd.token().tokenId() + " already exists"));
    }
    long live = state.tokens().values().stream()
        .filter(t -> !t.isRevoked() && t.tenantId().equals(cmd.token().tenantId())).count();
    if (live >= MAX_LIVE_TOKENS_PER_SCOPE) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(TOO_MANY));
    }
    return Effect().persist(new TokenIssued(cmd.token(), false))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(cmd.token()));
  }

  private ReplyEffect<Event, State> bootstrap(State state, BootstrapOwnerToken cmd) {
    if (state.bootstrapTokenId().equals(Optional.of(cmd.token().tokenId()))) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new BootstrapOutcome(true)));
    }
    if (state.bootstrapTokenId().isPresent() || !state.tokens().isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new BootstrapOutcome(false)));
    }
    if (cmd.token().role() != Role.OWNER) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the bootstrap token must be an owner token"));
    }
    return Effect().persist(new TokenIssued(cmd.token(), true))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new BootstrapOutcome(true)));
  }

  /** Why revoking the last owner token is refused: nobody could manage the installation afterwards. */
  public static final String LAST_OWNER = "the last owner token cannot be revoked: create another owner token first";

  private ReplyEffect<Event, State> revoke(State state, RevokeToken cmd) {
    TokenRecord token = state.tokens().get(cmd.tokenId());
    if (token == null || token.isRevoked()) {
      return Effect().reply(cmd.replyTo(), find(state, cmd.tokenId()));
    }
    long owners = state.tokens().values().stream().filter(t -> t.role() == Role.OWNER && !t.isRevoked()).count();
    if (token.role() == Role.OWNER && owners <= 1) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(LAST_OWNER));
    }
    return Effect().persist(new TokenRevoked(cmd.tokenId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.tokens().get(cmd.tokenId())));
  }

  private static StatusReply<TokenRecord> find(State state, String tokenId) {
    TokenRecord token = state.tokens().get(tokenId);
    return token != null ? StatusReply.success(token) : StatusReply.error("token " + tokenId + " does not exist");
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
