package io.switchboard.call.directory;

import static io.switchboard.call.directory.DirectoryFixtures.trunk;
import static io.switchboard.call.directory.DirectoryFixtures.trunkCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.serialization.ProtoCodecs;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link Trunk#allows}: exact CIDR matching without DNS; and the Protobuf round trips of every trunk type. */
class TrunkTest {
  private static final ActorTestKit testKit = ActorTestKit.create("TrunkTest", SwitchboardConfig.load());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Trunk allowing(String... sources) {
    return new Trunk("t", "T", "sip.carrier.example", 5060, Trunk.Transport.UDP, List.of(sources), Optional.empty(),
        false, Optional.empty());
  }

  /** A literal only: getByName on an IP literal does no lookup. */
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  // --- allows ---

  @Test
  void ipv4SingleAddressesAndBlocks() throws Exception {
    Trunk single = allowing("127.0.0.1", "192.0.2.7/32");
    assertTrue(single.allows(ip("127.0.0.1")));
    assertTrue(single.allows(ip("192.0.2.7")));
    assertFalse(single.allows(ip("127.0.0.2")));
    assertFalse(single.allows(ip("192.0.2.6")));

    Trunk slash24 = allowing("192.0.2.0/24");
    assertTrue(slash24.allows(ip("192.0.2.0")));
    assertTrue(slash24.allows(ip("192.0.2.255")));
    assertFalse(slash24.allows(ip("192.0.3.0")));
    assertFalse(slash24.allows(ip("192.0.1.255")));

    Trunk slash20 = allowing("198.51.96.0/20");
    assertTrue(slash20.allows(ip("198.51.111.200")));
    assertFalse(slash20.allows(ip("198.51.112.0")));
    assertFalse(slash20.allows(ip("198.51.95.255")));

    Trunk any = allowing("0.0.0.0/0");
    assertTrue(any.allows(ip("203.0.113.9")));
    assertTrue(any.allows(ip("255.255.255.255")));
    assertFalse(any.allows(ip("2001:db8::1")), "0.0.0.0/0 is every IPv4 address, not every address");
  }

  @Test
  void ipv6AddressesAndBlocks() throws Exception {
    Trunk v6 = allowing("2001:db8::/32", "2001:DB8:FFFF::1", "fd00:1:2:3::/64");
    assertTrue(v6.allows(ip("2001:db8::1")));
    assertTrue(v6.allows(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
    assertFalse(v6.allows(ip("2001:db9::1")));
    assertTrue(v6.allows(ip("2001:db8:ffff::1")), "upper-case hex");
    assertTrue(v6.allows(ip("fd00:1:2:3:abcd::9")));
    assertFalse(v6.allows(ip("fd00:1:2:4::9")));

    assertTrue(allowing("::/0").allows(ip("2001:db8::1")));
    assertTrue(allowing("::1").allows(ip("::1")));
    assertFalse(allowing("::1").allows(ip("::2")));
    assertTrue(allowing("2001:db8::/127").allows(ip("2001:db8::1")));
    assertFalse(allowing("2001:db8::/127").allows(ip("2001:db8::2")));
    // Java hands out IPv4-mapped IPv6 addresses (a dual-stack socket's IPv4 peers) as IPv4.
    assertTrue(allowing("192.0.2.0/24").allows(ip("::ffff:192.0.2.1")));
  }

  @Test
  void familiesNeverMix() throws Exception {
    assertFalse(allowing("::/0").allows(ip("192.0.2.1")), "an IPv4 source against IPv6 entries");
    assertFalse(allowing("0.0.0.0/0").allows(ip("::1")), "an IPv6 source against IPv4 entries");
    assertFalse(allowing("::c000:201").allows(ip("192.0.2.1")), "IPv4-compatible IPv6 is still IPv6");
    Trunk mixed = allowing("192.0.2.0/24", "2001:db8::/32");
    assertTrue(mixed.allows(ip("192.0.2.1")));
    assertTrue(mixed.allows(ip("2001:db8::1")));
    assertFalse(mixed.allows(ip("198.51.100.1")));
    assertFalse(mixed.allows(ip("2001:db9::1")));
  }

  @Test
  void nothingIsAllowedByAnEmptyListOrByEntriesThatAreNotBlocks() throws Exception {
    assertFalse(allowing().allows(ip("192.0.2.1")));
    // Only hand-made values have these (the directory refuses them): they match nothing, and no name is resolved.
    assertFalse(allowing("localhost", "192.0.2.1/24", "192.0.2.0/33", "").allows(ip("127.0.0.1")));
    assertFalse(allowing("localhost", "192.0.2.1/24").allows(ip("192.0.2.1")));
  }

  @Test
  void addressBlocksParseOnlyLiterals() {
    assertEquals(Optional.empty(), AddressBlock.parse("example.com"));
    assertEquals(Optional.empty(), AddressBlock.parse("1.2.3.4.5"));
    assertEquals(Optional.empty(), AddressBlock.parse("::1/-1"));
    assertEquals(Optional.empty(), AddressBlock.parse("1.2.3.4/+8"));
    assertEquals(Optional.of(new AddressBlock(new byte[] {10, 0, 0, 0}, 8)), AddressBlock.parse("10.0.0.0/8"));
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    assertEquals(Optional.of(new AddressBlock(loopback, 128)), AddressBlock.parse("::1"));
    assertEquals(Optional.of(new AddressBlock(loopback, 128)), AddressBlock.parse("0:0:0:0:0:0:0:1"));
  }

  // --- codecs ---

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    Serializer serializer = serialization.findSerializerFor(message);
    if (!(message instanceof StatusReply)) { // a StatusReply is Pekko's wrapper around our serializer's bytes
      assertEquals("io.switchboard.persistence.serialization.ProtobufSerializer", serializer.getClass().getName());
    }
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void everyTrunkTypeRoundTripsThroughProtobuf() {
    ActorRef<StatusReply<Trunk>> replyTo = testKit.<StatusReply<Trunk>>createTestProbe().ref();
    ActorRef<StatusReply<Done>> doneTo = testKit.<StatusReply<Done>>createTestProbe().ref();
    Trunk full = trunk("carrier", "sip.carrier.example");
    Trunk bare = new Trunk("b", "B", "2001:db8::1", 65535, Trunk.Transport.TLS, List.of(), Optional.empty(), false,
        Optional.empty());
    Trunk tcp = new Trunk("c", "C", "192.0.2.1", 1, Trunk.Transport.TCP, List.of("::/0"),
        Optional.of(trunkCredentials("u", "r")), false, Optional.of("+12125550100"));
    Tenant tenant = new Tenant("acme", "Acme", "acme.switchboard", "49", Instant.parse("2026-11-24T10:00:00Z"));
    TreeMap<String, Trunk> trunks = new TreeMap<>();
    List.of(full, bare, tcp).forEach(t -> trunks.put(t.trunkId(), t));
    List<Object> messages = List.of(full, bare, tcp,
        new Directory.TrunkCreated(full), new Directory.TrunkUpdated(bare), new Directory.TrunkUpdated(tcp),
        new Directory.TrunkDeleted("carrier"),
        new Directory.CreateTrunk(full, replyTo), new Directory.UpdateTrunk(bare, replyTo),
        new Directory.DeleteTrunk("carrier", doneTo),
        new DirectoryView(tenant, List.of(), List.of(), List.of(), List.of(), List.of(bare, tcp, full)),
        new DirectoryView(tenant, List.of(), List.of(), List.of(), List.of(), List.of()),
        new Directory.State(Optional.of(tenant), false, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
            new TreeMap<>(), new TreeMap<>(), trunks));
    for (Object message : messages) {
      assertEquals(message, roundTrip(message));
    }
    StatusReply<Trunk> reply = StatusReply.success(full);
    assertEquals(reply.getValue(), ((StatusReply<?>) roundTrip(reply)).getValue());
  }

  @Test
  void everyTrunkTypeHasACodecWithAStableManifest() {
    ProtoCodecs codecs = ProtoCodecs.load(getClass().getClassLoader());
    for (Class<?> type : List.of(Trunk.class, Directory.TrunkCreated.class, Directory.TrunkUpdated.class,
        Directory.TrunkDeleted.class, Directory.CreateTrunk.class, Directory.UpdateTrunk.class,
        Directory.DeleteTrunk.class)) {
      assertEquals("directory." + type.getSimpleName(), codecs.forType(type).orElseThrow().manifest());
    }
  }
}
