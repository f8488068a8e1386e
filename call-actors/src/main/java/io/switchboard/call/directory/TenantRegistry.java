package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.pekko.Done;
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
 * Which tenant ids exist, so that tenants can be listed without scanning the journal. A single
 * entity ({@link #ENTITY_ID}). The admin API registers an id before it creates the
 * {@link Directory} and unregisters it after the delete; an id whose creation then failed stays
 * listed here, so readers ask each tenant's Directory and skip the ones that answer not-found.
 */
public final class TenantRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<TenantRegistry.Command, TenantRegistry.Event, TenantRegistry.TenantIds> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "TenantRegistry");
  public static final String ENTITY_ID = "tenants";

  public sealed interface Command extends ProtobufSerializable permits RegisterTenant, UnregisterTenant, ListTenants {}

  /** Idempotent. */
  public record RegisterTenant(String tenantId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Idempotent. */
  public record UnregisterTenant(String tenantId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record ListTenants(ActorRef<StatusReply<TenantIds>> replyTo) implements Command {}

  public sealed interface Event extends ProtobufSerializable permits TenantRegistered, TenantUnregistered {}

  public record TenantRegistered(String tenantId) implements Event {}

  public record TenantUnregistered(String tenantId) implements Event {}

  /** The state and the reply to {@link ListTenants}: ids in order. */
  public record TenantIds(SortedSet<String> tenantIds) implements ProtobufSerializable {
    static final TenantIds EMPTY = new TenantIds(new TreeSet<>());

    public TenantIds {
      tenantIds = Collections.unmodifiableSortedSet(new TreeSet<>(tenantIds));
    }

    TenantIds apply(Event event) {
      TreeSet<String> ids = new TreeSet<>(tenantIds);
      if (event instanceof TenantRegistered r) {
        ids.add(r.tenantId());
      } else {
        ids.remove(((TenantUnregistered) event).tenantId());
      }
      return new TenantIds(ids);
    }
  }

  public static void init(ActorSystem<?> system) {
    CoreEntities.init(system, ENTITY_KEY, TenantRegistry::create);
  }

  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return CoreEntities.ref(system, ENTITY_KEY, ENTITY_ID);
  }

  public static Behavior<Command> create(PersistenceId persistenceId) {
    return new TenantRegistry(persistenceId);
  }

  private TenantRegistry(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public TenantIds emptyState() {
    return TenantIds.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, TenantIds> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(RegisterTenant.class, (s, c) -> change(s.tenantIds().contains(c.tenantId()),
            new TenantRegistered(c.tenantId()), c.replyTo()))
        .onCommand(UnregisterTenant.class, (s, c) -> change(!s.tenantIds().contains(c.tenantId()),
            new TenantUnregistered(c.tenantId()), c.replyTo()))
        .onCommand(ListTenants.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(s)))
        .build();
  }

  private ReplyEffect<Event, TenantIds> change(boolean alreadyDone, Event event, ActorRef<StatusReply<Done>> replyTo) {
    return alreadyDone ? Effect().reply(replyTo, StatusReply.ack())
        : Effect().persist(event).thenReply(replyTo, s -> StatusReply.ack());
  }

  @Override
  public EventHandler<TenantIds, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(TenantIds::apply);
  }
}
