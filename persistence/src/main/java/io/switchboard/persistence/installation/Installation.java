package io.switchboard.persistence.installation;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * The identity of one Switchboard installation (a cluster and its journal): an id minted once, on
 * the first node start ever, and a count of node starts. It is the smallest real entity: the
 * status page shows it, and the same id after a restart proves the journal survived.
 *
 * <p>A single sharded entity ({@link #ENTITY_ID}) on the {@code core} role.
 */
public final class Installation
    extends EventSourcedBehaviorWithEnforcedReplies<Installation.Command, Installation.Event, Installation.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Installation");
  public static final String ENTITY_ID = "installation";

  // --- protocol ---

  public sealed interface Command extends ProtobufSerializable permits RecordNodeStart, GetInstallation {}

  /**
   * A node has started; creates the installation on the very first start. Idempotent per
   * {@code startId} (unique per node incarnation), so a retried ask records one start.
   */
  public record RecordNodeStart(String startId, String nodeAddress, List<String> roles, Instant startedAt,
                                ActorRef<StatusReply<Info>> replyTo) implements Command {
    public RecordNodeStart {
      roles = List.copyOf(roles);
      startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS); // the wire and the journal carry milliseconds
    }
  }

  /** Answers the installation, or an error reply if no node has started yet. */
  public record GetInstallation(ActorRef<StatusReply<Info>> replyTo) implements Command {}

  /** The installation as the outside sees it. */
  public record Info(String installationId, Instant createdAt, long nodeStarts, String lastStartedNode,
                     Instant lastStartedAt) implements ProtobufSerializable {
    public Info {
      createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
      lastStartedAt = lastStartedAt.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  public sealed interface Event extends ProtobufSerializable permits InstallationCreated, NodeStartRecorded {}

  public record InstallationCreated(String installationId, Instant createdAt) implements Event {
    public InstallationCreated {
      createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  public record NodeStartRecorded(String startId, String nodeAddress, List<String> roles, Instant startedAt)
      implements Event {
    public NodeStartRecorded {
      roles = List.copyOf(roles);
      startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /**
   * {@code installationId} is empty until the first node start; {@code recentStartIds} holds the
   * last {@link #REMEMBERED_STARTS} start ids, oldest first, to recognise retried commands.
   */
  public record State(Optional<String> installationId, Instant createdAt, long nodeStarts, String lastStartedNode,
                      Instant lastStartedAt, List<String> recentStartIds) implements ProtobufSerializable {
    static final int REMEMBERED_STARTS = 64;
    static final State EMPTY = new State(Optional.empty(), Instant.EPOCH, 0, "", Instant.EPOCH, List.of());

    public State {
      recentStartIds = List.copyOf(recentStartIds);
    }

    State apply(Event event) {
      if (event instanceof InstallationCreated created) {
        return new State(Optional.of(created.installationId()), created.createdAt(), nodeStarts, lastStartedNode,
            lastStartedAt, recentStartIds);
      }
      NodeStartRecorded start = (NodeStartRecorded) event;
      List<String> recent = new java.util.ArrayList<>(recentStartIds);
      recent.add(start.startId());
      if (recent.size() > REMEMBERED_STARTS) {
        recent.remove(0);
      }
      return new State(installationId, createdAt, nodeStarts + 1, start.nodeAddress(), start.startedAt(), recent);
    }

    Optional<Info> info() {
      return installationId.map(id -> new Info(id, createdAt, nodeStarts, lastStartedNode, lastStartedAt));
    }
  }

  // --- wiring ---

  /** Registers the entity with sharding; nodes without the {@code core} role only proxy to it. */
  public static void init(ActorSystem<?> system) {
    CoreEntities.init(system, ENTITY_KEY, Installation::create);
  }

  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return CoreEntities.ref(system, ENTITY_KEY, ENTITY_ID);
  }

  public static Behavior<Command> create(PersistenceId persistenceId) {
    return new Installation(persistenceId);
  }

  private Installation(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Node starts accumulate forever; a snapshot every 100 keeps recovery short.
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(RecordNodeStart.class, this::onRecordNodeStart)
        .onCommand(GetInstallation.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.info()
            .map(StatusReply::success)
            .orElseGet(() -> StatusReply.error("no node has started this installation yet"))))
        .build();
  }

  private ReplyEffect<Event, State> onRecordNodeStart(State state, RecordNodeStart cmd) {
    if (state.recentStartIds().contains(cmd.startId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.info().orElseThrow()));
    }
    NodeStartRecorded started = new NodeStartRecorded(cmd.startId(), cmd.nodeAddress(), cmd.roles(),
        cmd.startedAt());
    List<Event> events = state.installationId().isPresent()
        ? List.of(started)
        : List.of(new InstallationCreated(UUID.randomUUID().toString(), cmd.startedAt()), started);
    return Effect().persist(events)
        .thenReply(cmd.replyTo(), newState -> StatusReply.success(newState.info().orElseThrow()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
