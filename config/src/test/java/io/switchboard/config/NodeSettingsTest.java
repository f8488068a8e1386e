package io.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

  private static Config with(String hocon) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  @Test
  void defaultsDescribeADeveloperNodeWithEveryRole() {
    NodeSettings s = NodeSettings.fromConfig(with(""));
    assertEquals("switchboard", s.systemName());
    assertEquals(25520, s.port());
    assertEquals(ClusterRole.all(), s.roles());
    assertTrue(s.seedNodes().isEmpty());
    assertEquals(Path.of("./data"), s.dataDir());
  }

  @Test
  void aWrongPortFailsNamingTheKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> NodeSettings.fromConfig(with("switchboard.node.port = 70000")));
    assertEquals(List.of("switchboard.node.port = 70000 is not a valid port (0-65535)"), e.problems());
    assertTrue(e.getMessage().startsWith("Configuration error: switchboard.node.port"));
  }

  @Test
  void aPortThatIsNotANumberFailsNamingTheKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> NodeSettings.fromConfig(with("switchboard.node.port = eighty")));
    assertEquals(List.of("switchboard.node.port must be a port number"), e.problems());
  }

  @Test
  void aMissingSettingFailsNamingTheKey() {
    Config config = with("").withoutPath("switchboard.node.hostname");
    SettingsException e = assertThrows(SettingsException.class, () -> NodeSettings.fromConfig(config));
    assertEquals(List.of("switchboard.node.hostname is missing"), e.problems());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    SettingsException e = assertThrows(SettingsException.class, () -> NodeSettings.fromConfig(with(
        "switchboard.node { port = -1, roles = [edge, dispatcher], seed-nodes = [\"akka://x@h:1\"] }")));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown role 'dispatcher'"), e.getMessage());
    assertTrue(e.getMessage().contains("akka://x@h:1"), e.getMessage());
  }

  @Test
  void seedNodesMustNameThisSystem() {
    SettingsException e = assertThrows(SettingsException.class, () -> NodeSettings.fromConfig(with(
        "switchboard.node.seed-nodes = [\"pekko://other@127.0.0.1:25520\"]")));
    assertTrue(e.getMessage().contains("names actor system 'other'"), e.getMessage());
    NodeSettings ok = NodeSettings.fromConfig(with(
        "switchboard.node.seed-nodes = [\"pekko://switchboard@127.0.0.1:25520\"]"));
    assertEquals(List.of("pekko://switchboard@127.0.0.1:25520"), ok.seedNodes());
  }

  @Test
  void environmentVariablesOverrideConfigurationAndSplitLists() {
    Config env = EnvironmentOverrides.from(Map.of(
        "SWITCHBOARD_ROLES", "edge, media",
        "SWITCHBOARD_CLUSTER_PORT", "25521",
        "SWITCHBOARD_SEED_NODES", "pekko://switchboard@127.0.0.1:25520,pekko://switchboard@127.0.0.1:25521",
        "UNRELATED", "x"));
    NodeSettings s = NodeSettings.fromConfig(env.withFallback(with("")));
    assertEquals(java.util.Set.of(ClusterRole.EDGE, ClusterRole.MEDIA), s.roles());
    assertEquals(25521, s.port());
    assertEquals(2, s.seedNodes().size());
  }

  @Test
  void aBadEnvironmentValueIsReportedUnderItsKey() {
    Config env = EnvironmentOverrides.from(Map.of("SWITCHBOARD_CLUSTER_PORT", "x"));
    SettingsException e = assertThrows(SettingsException.class,
        () -> NodeSettings.fromConfig(env.withFallback(with(""))));
    assertEquals(List.of("switchboard.node.port must be a port number"), e.problems());
  }

  @Test
  void environmentVariableNamesAreUniqueAndMapToDistinctKeys() {
    assertEquals(EnvironmentOverrides.VARIABLES.size(),
        EnvironmentOverrides.VARIABLES.stream().map(EnvironmentOverrides.Variable::name).distinct().count());
    assertEquals(EnvironmentOverrides.VARIABLES.size(),
        EnvironmentOverrides.VARIABLES.stream().map(EnvironmentOverrides.Variable::key).distinct().count());
  }

  @Test
  void anEnvironmentOverrideReachesTheKeysThatReferToIt() {
    Config config = SwitchboardConfig.load(Map.of("SWITCHBOARD_HOSTNAME", "10.1.2.3"),
        ConfigFactory.parseString("derived = ${switchboard.node.hostname}"));
    assertEquals("10.1.2.3", config.getString("derived"));
  }
}
