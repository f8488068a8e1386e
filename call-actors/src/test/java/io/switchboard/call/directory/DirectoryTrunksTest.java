package io.switchboard.call.directory;

import static io.switchboard.call.directory.DirectoryFixtures.trunk;
import static io.switchboard.call.directory.DirectoryFixtures.trunkCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.directory.Directory.Command;
import io.switchboard.call.directory.Directory.Event;
import io.switchboard.call.directory.Directory.State;
import io.switchboard.config.SwitchboardConfig;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trunks in the Directory entity: replies and the exact events persisted, with every command,
 * event, state and reply through its Protobuf codec ({@code serialize-messages = on}, equality
 * verified), as in {@link DirectoryTest}.
 */
class DirectoryTrunksTest {
  private static final Config CONFIG = EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
      .withFallback(SwitchboardConfig.load());
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static final ActorTestKit testKit = ActorTestKit.create("DirectoryTrunksTest", CONFIG);

  private EventSourcedBehaviorTestKit<Command, Event, State> directory;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    directory = EventSourcedBehaviorTestKit.create(testKit.system(),
        Directory.create("acme", PersistenceId.of(Directory.ENTITY_KEY.name(), "acme")),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    Tenant tenant = new Tenant("acme", "Acme", "acme.switchboard", "49", T0);
    succeeds(r -> new Directory.CreateTenant("Acme", Optional.empty(), Optional.of("49"), T0, ref(r)),
        new Directory.TenantCreated(tenant));
  }

  @SuppressWarnings("unchecked")
  private static <T> ActorRef<T> ref(ActorRef<?> replyTo) {
    return (ActorRef<T>) replyTo;
  }

  @SuppressWarnings("unchecked")
  private <R> R succeeds(Function<ActorRef<StatusReply<Object>>, Command> command, Event... events) {
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<Object>> result =
        directory.runCommand(command);
    assertTrue(result.reply().isSuccess(), () -> "expected success, got " + result.reply());
    assertEquals(Arrays.asList(events), result.events());
    return (R) result.reply().getValue();
  }

  private void fails(Function<ActorRef<StatusReply<Object>>, Command> command, DirectoryError.Kind kind,
                     String message) {
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<Object>> result =
        directory.runCommand(command);
    assertTrue(result.reply().isError(), () -> "expected an error, got " + result.reply());
    assertEquals(new DirectoryError(kind, message), result.reply().getError());
    assertEquals(List.of(), result.events(), "a refused command persists nothing");
  }

  private void invalid(Trunk trunk, String message) {
    fails(r -> new Directory.CreateTrunk(trunk, ref(r)), DirectoryError.Kind.INVALID, message);
  }

  private static Trunk withSources(String... sources) {
    Trunk t = trunk("carrier", "sip.carrier.example");
    return new Trunk(t.trunkId(), t.name(), t.host(), t.port(), t.transport(), List.of(sources), t.credentials(),
        t.register(), t.callerId());
  }

  private static Trunk withHost(String host) {
    return trunk("carrier", host);
  }

  private static Trunk withPort(int port) {
    Trunk t = trunk("carrier", "sip.carrier.example");
    return new Trunk(t.trunkId(), t.name(), t.host(), port, t.transport(), t.allowedSources(), t.credentials(),
        t.register(), t.callerId());
  }

  private static Trunk withCallerId(String callerId) {
    Trunk t = trunk("carrier", "sip.carrier.example");
    return new Trunk(t.trunkId(), t.name(), t.host(), t.port(), t.transport(), t.allowedSources(), t.credentials(),
        t.register(), Optional.of(callerId));
  }

  @Test
  void aTrunkIsCreatedListedAndARetryAnswersTheSame() {
    Trunk carrier = trunk("carrier", "sip.carrier.example");
    assertEquals(carrier, succeeds(r -> new Directory.CreateTrunk(carrier, ref(r)), new Directory.TrunkCreated(carrier)));
    assertEquals(carrier, succeeds(r -> new Directory.CreateTrunk(carrier, ref(r))), "a retried create persists nothing");
    Trunk other = new Trunk("carrier", "Other", "192.0.2.10", 5061, Trunk.Transport.TLS, List.of(), Optional.empty(),
        false, Optional.empty());
    fails(r -> new Directory.CreateTrunk(other, ref(r)), DirectoryError.Kind.CONFLICT, "trunk carrier already exists");

    Trunk second = new Trunk("b-carrier", "B", "2001:db8::10", 5060, Trunk.Transport.TCP, List.of("2001:db8::10"),
        Optional.empty(), false, Optional.empty());
    succeeds(r -> new Directory.CreateTrunk(second, ref(r)), new Directory.TrunkCreated(second));
    DirectoryView view = succeeds(r -> new Directory.GetDirectory(ref(r)));
    assertEquals(List.of(second, carrier), view.trunks(), "sorted by id");
    directory.restart();
    assertEquals(view, succeeds(r -> new Directory.GetDirectory(ref(r))), "recovered from the events");
  }

  @Test
  void anUpdateWithoutCredentialsKeepsTheStoredOnes() {
    Trunk carrier = trunk("carrier", "sip.carrier.example");
    succeeds(r -> new Directory.CreateTrunk(carrier, ref(r)), new Directory.TrunkCreated(carrier));

    Trunk moved = new Trunk("carrier", "Carrier (TLS)", "sip2.carrier.example", 5061, Trunk.Transport.TLS,
        List.of("198.51.100.7"), Optional.empty(), false, Optional.empty());
    Trunk expected = moved.withCredentials(carrier.credentials());
    assertEquals(expected, succeeds(r -> new Directory.UpdateTrunk(moved, ref(r)), new Directory.TrunkUpdated(moved)));
    assertEquals(expected, succeeds(r -> new Directory.UpdateTrunk(moved, ref(r))), "unchanged: no event");
    assertEquals(expected, succeeds(r -> new Directory.UpdateTrunk(expected, ref(r))), "the same credentials: no event");
    directory.restart();
    assertEquals(List.of(expected), this.<DirectoryView>succeeds(r -> new Directory.GetDirectory(ref(r))).trunks(),
        "kept across recovery");

    Trunk rekeyed = moved.withCredentials(Optional.of(trunkCredentials("new-user", "other.realm")));
    assertEquals(rekeyed, succeeds(r -> new Directory.UpdateTrunk(rekeyed, ref(r)), new Directory.TrunkUpdated(rekeyed)));

    fails(r -> new Directory.UpdateTrunk(trunk("nope", "sip.carrier.example"), ref(r)), DirectoryError.Kind.NOT_FOUND,
        "trunk nope does not exist");
  }

  @Test
  void aTrunkIsDeletedOnce() {
    Trunk carrier = trunk("carrier", "sip.carrier.example");
    succeeds(r -> new Directory.CreateTrunk(carrier, ref(r)), new Directory.TrunkCreated(carrier));
    succeeds(r -> new Directory.DeleteTrunk("carrier", ref(r)), new Directory.TrunkDeleted("carrier"));
    fails(r -> new Directory.DeleteTrunk("carrier", ref(r)), DirectoryError.Kind.NOT_FOUND,
        "trunk carrier does not exist");
    assertEquals(List.of(), this.<DirectoryView>succeeds(r -> new Directory.GetDirectory(ref(r))).trunks());
    directory.restart();
    assertEquals(List.of(), this.<DirectoryView>succeeds(r -> new Directory.GetDirectory(ref(r))).trunks());
  }

  @Test
  void aDeletedTenantTakesItsTrunksAlong() {
    Trunk carrier = trunk("carrier", "sip.carrier.example");
    succeeds(r -> new Directory.CreateTrunk(carrier, ref(r)), new Directory.TrunkCreated(carrier));
    succeeds(r -> new Directory.DeleteTenant(T0, ref(r)), new Directory.TenantDeleted(T0));
    fails(r -> new Directory.CreateTrunk(carrier, ref(r)), DirectoryError.Kind.NOT_FOUND, "tenant acme does not exist");
    fails(r -> new Directory.DeleteTrunk("carrier", ref(r)), DirectoryError.Kind.NOT_FOUND,
        "tenant acme does not exist");
  }

  @Test
  void allowedSourcesAreValidatedStrictlyNamingTheEntry() {
    String notABlock = " must be an IPv4 or IPv6 address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32";
    invalid(withSources("192.0.2.0/24", "192.0.2.256"), "allowedSources[1]: 192.0.2.256" + notABlock);
    invalid(withSources("192.0.2"), "allowedSources[0]: 192.0.2" + notABlock);
    invalid(withSources("192.0.02.1"), "allowedSources[0]: 192.0.02.1" + notABlock);
    invalid(withSources("carrier.example"), "allowedSources[0]: carrier.example" + notABlock);
    invalid(withSources(""), "allowedSources[0]: " + notABlock);
    invalid(withSources(" 192.0.2.1"), "allowedSources[0]:  192.0.2.1" + notABlock);
    invalid(withSources("2001:db8::1::2"), "allowedSources[0]: 2001:db8::1::2" + notABlock);
    invalid(withSources("2001:db8:0:0:0:0:0:0:1"), "allowedSources[0]: 2001:db8:0:0:0:0:0:0:1" + notABlock);
    invalid(withSources("fe80::1%eth0"), "allowedSources[0]: fe80::1%eth0" + notABlock);
    invalid(withSources("2001:db8::g"), "allowedSources[0]: 2001:db8::g" + notABlock);
    invalid(withSources("192.0.2.0/33"), "allowedSources[0]: 192.0.2.0/33 the prefix length must be 0 to 32");
    invalid(withSources("192.0.2.0/024"), "allowedSources[0]: 192.0.2.0/024 the prefix length must be 0 to 32");
    invalid(withSources("192.0.2.0/"), "allowedSources[0]: 192.0.2.0/ the prefix length must be 0 to 32");
    invalid(withSources("2001:db8::/129"), "allowedSources[0]: 2001:db8::/129 the prefix length must be 0 to 128");
    invalid(withSources("192.0.2.1/24"), "allowedSources[0]: 192.0.2.1/24 has host bits set beyond /24");
    invalid(withSources("2001:db8::1/32"), "allowedSources[0]: 2001:db8::1/32 has host bits set beyond /32");
    invalid(withSources("192.0.2.0/24", "192.0.2.0/24"), "allowedSources[1]: 192.0.2.0/24 is already allowedSources[0]");

    Trunk fine = withSources("0.0.0.0/0", "127.0.0.1", "10.0.0.0/8", "::/0", "::1", "2001:DB8::/32",
        "::ffff:192.0.2.1", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4/128");
    succeeds(r -> new Directory.CreateTrunk(fine, ref(r)), new Directory.TrunkCreated(fine));
  }

  @Test
  void hostPortCallerIdAndTheOtherFieldsAreValidated() {
    String badHost = "host: must be an IPv4 or IPv6 address or a DNS name such as sip.carrier.example";
    for (String host : List.of("", "sip carrier.example", "-sip.carrier.example", "sip.carrier.example.",
        "192.0.2.300", "10.1", "sip.carrier.example:5060", "[2001:db8::1]", "sip_carrier.example",
        "a".repeat(64) + ".example")) {
      invalid(withHost(host), badHost);
    }
    for (String host : List.of("sip.carrier.example", "localhost", "192.0.2.1", "2001:db8::1", "3com.example",
        "xn--bcher-kva.example")) {
      Trunk ok = withHost(host);
      succeeds(r -> new Directory.CreateTrunk(ok, ref(r)), new Directory.TrunkCreated(ok));
      succeeds(r -> new Directory.DeleteTrunk("carrier", ref(r)), new Directory.TrunkDeleted("carrier"));
    }

    invalid(withPort(0), "port: must be 1 to 65535");
    invalid(withPort(65536), "port: must be 1 to 65535");
    invalid(withPort(-5060), "port: must be 1 to 65535");

    String badCallerId = "callerId: must be E.164 with the plus sign and 8 to 15 digits, such as +4930123456";
    for (String callerId : List.of("4930123456", "+4930 123456", "+1234567", "+1234567890123456", "+0930123456")) {
      invalid(withCallerId(callerId), badCallerId);
    }

    Trunk t = trunk("carrier", "sip.carrier.example");
    invalid(new Trunk("bad id", t.name(), t.host(), t.port(), t.transport(), t.allowedSources(), t.credentials(),
        t.register(), t.callerId()), "id: must be 1 to 64 letters, digits, _ or -");
    invalid(new Trunk("carrier", " ", t.host(), t.port(), t.transport(), t.allowedSources(), t.credentials(),
        t.register(), t.callerId()), "name: must be 1 to 100 characters");
    invalid(t.withCredentials(Optional.of(new TrunkCredentials("", "realm", "0".repeat(32), "0".repeat(64)))),
        "username: must be 1 to 128 printable ASCII characters without \" or \\");
    invalid(t.withCredentials(Optional.of(new TrunkCredentials("user", "re\"alm", "0".repeat(32), "0".repeat(64)))),
        "realm: must be 1 to 128 printable ASCII characters without \" or \\");
    invalid(t.withCredentials(Optional.of(new TrunkCredentials("user", "realm", "0".repeat(32), "A".repeat(64)))),
        "password: the credentials are not lower-case hex MD5 and SHA-256 HA1 values");
    invalid(t.withCredentials(Optional.of(new TrunkCredentials("user", "realm", "secret", "0".repeat(64)))),
        "password: the credentials are not lower-case hex MD5 and SHA-256 HA1 values");
  }

  @Test
  void credentialsNeverShowTheirHa1InToString() {
    Trunk t = trunk("carrier", "sip.carrier.example");
    TrunkCredentials c = t.credentials().orElseThrow();
    for (String text : List.of(c.toString(), t.toString())) {
      assertTrue(!text.contains(c.ha1Md5()) && !text.contains(c.ha1Sha256()), text);
    }
    assertEquals("TrunkCredentials[acme-carrier@sip.carrier.example]", c.toString());
  }
}
