package io.switchboard.persistence.sharding;

import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The usual wiring of an event-sourced entity type: sharded on the {@code core} role (other nodes
 * only proxy), persistence id {@code <type name>|<entity id>}.
 */
public final class CoreEntities {
  public static final String ROLE = "core";

  private CoreEntities() {}

  public static <C> void init(ActorSystem<?> system, EntityTypeKey<C> key,
                              Function<PersistenceId, Behavior<C>> create) {
    ClusterSharding.get(system).init(Entity.of(key,
        ctx -> create.apply(PersistenceId.of(key.name(), ctx.getEntityId()))).withRole(ROLE));
  }

  public static <C> EntityRef<C> ref(ActorSystem<?> system, EntityTypeKey<C> key, String entityId) {
    return ClusterSharding.get(system).entityRefFor(key, entityId);
  }
}
