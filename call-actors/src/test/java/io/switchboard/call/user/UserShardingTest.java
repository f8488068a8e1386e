package io.switchboard.call.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.switchboard.call.CallActors;
import io.switchboard.call.CallSettings;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.config.SettingsReader;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;

/** The wiring point: {@link CallActors#init} makes the User entity reachable through Cluster Sharding. */
class UserShardingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aUserIsReachableByTenantAndUserIdOnACoreNode() throws Exception {
    ActorTestKit kit = ActorTestKit.create("UserSharding", ConfigFactory.parseString("pekko.cluster.roles = [core]")
        .withFallback(TestNodeConfig.node(0)));
    try {
      ActorSystem<?> system = kit.system();
      TestNodeConfig.ensureSchema(system);
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      kit.createTestProbe().awaitAssert(TIMEOUT,
          () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
          });

      CallActors.init(system, SettingsReader.readValidated(system.settings().config(), CallSettings::read));
      String tenant = "tenant-" + UUID.randomUUID();
      User.Settings settings = User.ref(system, tenant, "bob")
          .<User.Settings>askWithStatus(User.GetSettings::new, TIMEOUT).toCompletableFuture().get();
      assertEquals(new User.Settings(Presence.AVAILABLE, true, Forwarding.NONE, RingPlan.RingMode.SIMULTANEOUS,
          java.util.Optional.empty(), Duration.ofSeconds(30)), settings);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void anEntityIdNeedsATenantWithoutAColon() {
    assertEquals("acme:bob:1", User.entityId("acme", "bob:1"));
    assertThrows(IllegalArgumentException.class, () -> User.entityId("ac:me", "bob"));
    assertThrows(IllegalArgumentException.class, () -> User.entityId("", "bob"));
    assertThrows(IllegalArgumentException.class, () -> User.entityId("acme", ""));
  }
}
