package io.switchboard.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SwitchboardConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token store: replies and exact events, through the Protobuf codecs. */
class AccessTokensTest {
  private static final ActorTestKit testKit = ActorTestKit.create("AccessTokensTest",
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
          .withFallback(SwitchboardConfig.load()));
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private EventSourcedBehaviorTestKit<AccessTokens.Command, AccessTokens.Event, AccessTokens.State> tokens;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    tokens = EventSourcedBehaviorTestKit.create(testKit.system(),
        AccessTokens.create(PersistenceId.of(AccessTokens.ENTITY_KEY.name(), AccessTokens.ENTITY_ID)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private static TokenRecord owner(String id) {
    return new TokenRecord(id, Role.OWNER, Optional.empty(), "bootstrap owner token", "$2y$04$hash", T0,
        Optional.empty());
  }

  @Test
  void theFirstBootstrapTokenWinsAndARetryOfItIsAccepted() {
    var first = tokens.<StatusReply<AccessTokens.BootstrapOutcome>>runCommand(
        r -> new AccessTokens.BootstrapOwnerToken(owner("aaaaaaaaaaaaaaaa"), r));
    assertTrue(first.reply().getValue().issued());
    assertEquals(List.of(new AccessTokens.TokenIssued(owner("aaaaaaaaaaaaaaaa"), true)), first.events());

    var retry = tokens.<StatusReply<AccessTokens.BootstrapOutcome>>runCommand(
        r -> new AccessTokens.BootstrapOwnerToken(owner("aaaaaaaaaaaaaaaa"), r));
    assertTrue(retry.reply().getValue().issued(), "the node whose ask timed out learns it won");
    assertTrue(retry.hasNoEvents());

    var other = tokens.<StatusReply<AccessTokens.BootstrapOutcome>>runCommand(
        r -> new AccessTokens.BootstrapOwnerToken(owner("bbbbbbbbbbbbbbbb"), r));
    assertFalse(other.reply().getValue().issued(), "a second node loses");
    assertTrue(other.hasNoEvents());
  }

  @Test
  void noBootstrapOnceTokensExist() {
    TokenRecord admin = new TokenRecord("cccccccccccccccc", Role.ADMIN, Optional.of("acme"), "", "$2y$04$x", T0,
        Optional.empty());
    var issued = tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(admin, r));
    assertEquals(admin, issued.reply().getValue());
    assertEquals(List.of(new AccessTokens.TokenIssued(admin, false)), issued.events());
    assertFalse(tokens.<StatusReply<AccessTokens.BootstrapOutcome>>runCommand(
        r -> new AccessTokens.BootstrapOwnerToken(owner("aaaaaaaaaaaaaaaa"), r)).reply().getValue().issued());
  }

  @Test
  void revokingIsPersistedOnceAndUnknownTokensAreErrors() {
    tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(owner("dddddddddddddddd"), r));
    tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(owner("ffffffffffffffff"), r));
    var revoked = tokens.<StatusReply<TokenRecord>>runCommand(
        r -> new AccessTokens.RevokeToken("dddddddddddddddd", T0.plusSeconds(60), r));
    assertTrue(revoked.reply().getValue().isRevoked());
    assertEquals(List.of(new AccessTokens.TokenRevoked("dddddddddddddddd", T0.plusSeconds(60))), revoked.events());
    var again = tokens.<StatusReply<TokenRecord>>runCommand(
        r -> new AccessTokens.RevokeToken("dddddddddddddddd", T0.plusSeconds(90), r));
    assertEquals(revoked.reply().getValue(), again.reply().getValue());
    assertTrue(again.hasNoEvents());
    assertTrue(tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.GetToken("eeeeeeeeeeeeeeee", r))
        .reply().isError());
    tokens.restart();
    assertTrue(tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.GetToken("dddddddddddddddd", r))
        .reply().getValue().isRevoked());
    // The last owner token stays: without it nobody could manage the installation.
    var last = tokens.<StatusReply<TokenRecord>>runCommand(
        r -> new AccessTokens.RevokeToken("ffffffffffffffff", T0.plusSeconds(120), r));
    assertEquals(AccessTokens.LAST_OWNER, last.reply().getError().getMessage());
    assertTrue(last.hasNoEvents());
  }

  @Test
  void aTenantHoldsABoundedNumberOfLiveTokens() {
    for (int i = 0; i < AccessTokens.MAX_LIVE_TOKENS_PER_SCOPE; i++) {
      TokenRecord t = new TokenRecord(String.format("%016x", i), Role.ADMIN, Optional.of("acme"), "", "$2y$04$x",
          T0, Optional.empty());
      assertTrue(tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(t, r)).reply()
          .isSuccess());
    }
    TokenRecord oneMore = new TokenRecord("ffffffffffff0000", Role.ADMIN, Optional.of("acme"), "", "$2y$04$x", T0,
        Optional.empty());
    var refused = tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(oneMore, r));
    assertEquals(AccessTokens.TOO_MANY, refused.reply().getError().getMessage());
    assertTrue(refused.hasNoEvents());
    // Another tenant is not affected, and a revoked token frees a place.
    TokenRecord other = new TokenRecord("eeeeeeeeeeee0000", Role.ADMIN, Optional.of("globex"), "", "$2y$04$x", T0,
        Optional.empty());
    assertTrue(tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(other, r)).reply()
        .isSuccess());
    tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.RevokeToken(String.format("%016x", 0), T0, r));
    assertTrue(tokens.<StatusReply<TokenRecord>>runCommand(r -> new AccessTokens.IssueToken(oneMore, r)).reply()
        .isSuccess());
  }

  @Test
  void tokensHaveTheDocumentedFormatAndVerify() {
    TokenSecrets.NewToken token = TokenSecrets.generate();
    assertTrue(token.value().matches("sbt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), token.value());
    assertEquals(Optional.of(token.tokenId()), TokenSecrets.tokenId(token.value()));
    String hash = TokenSecrets.hash(token.value(), 4);
    assertTrue(TokenSecrets.matches(hash, token.value()));
    assertFalse(TokenSecrets.matches(hash, TokenSecrets.generate().value()));
    assertFalse(TokenSecrets.matches("not a hash", token.value()));
    assertFalse(token.toString().contains(token.value().substring(21)), "toString never shows the secret");
  }
}
