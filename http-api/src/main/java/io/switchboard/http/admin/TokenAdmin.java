package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminRoutes.created;
import static io.switchboard.http.admin.AdminRoutes.noContent;
import static io.switchboard.http.admin.AdminRoutes.ok;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.http.auth.AccessTokens;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.CredentialHashing;
import io.switchboard.http.auth.Principal;
import io.switchboard.http.auth.Role;
import io.switchboard.http.auth.TokenRecord;
import io.switchboard.http.auth.TokenSecrets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@code /api/v1/tokens}: an owner issues owner tokens and admin tokens of any tenant; a tenant
 * admin issues admin tokens of its own tenant only, and sees and revokes only those. The plain
 * token is in the create response and nowhere else; lists show ids, never secrets or hashes.
 */
final class TokenAdmin {
  static final int MAX_DESCRIPTION = 200;

  private final ActorSystem<?> system;
  private final ApiAuth auth;
  private final CredentialHashing hashing;
  private final AdminApiSettings settings;

  TokenAdmin(ActorSystem<?> system, ApiAuth auth, CredentialHashing hashing, AdminApiSettings settings) {
    this.system = system;
    this.auth = auth;
    this.hashing = hashing;
    this.settings = settings;
  }

  List<AdminRoutes.Endpoint> endpoints() {
    return List.of(
        new AdminRoutes.Endpoint(HttpMethods.POST, "/api/v1/tokens", this::issue),
        new AdminRoutes.Endpoint(HttpMethods.GET, "/api/v1/tokens", c -> all().thenApply(tokens ->
            ok(DirectoryAdmin.list("tokens", tokens.stream().filter(t -> visible(c.principal(), t))
                .map(TokenAdmin::tokenJson).toList())))),
        new AdminRoutes.Endpoint(HttpMethods.GET, "/api/v1/tokens/{tokenId}",
            c -> visibleToken(c).thenApply(t -> ok(tokenJson(t)))),
        new AdminRoutes.Endpoint(HttpMethods.DELETE, "/api/v1/tokens/{tokenId}", c -> visibleToken(c)
            .thenCompose(t -> AccessTokens.ref(system).<TokenRecord>askWithStatus(
                r -> new AccessTokens.RevokeToken(t.tokenId(), Instant.now(), r), settings.askTimeout()))
            .exceptionally(TokenAdmin::conflictFromRefusal)
            .thenApply(t -> {
              auth.forget(t.tokenId());
              return noContent();
            })));
  }

  private CompletionStage<HttpResponse> issue(AdminRoutes.Call call) {
    Principal principal = call.principal();
    JsonBody body = call.json().allowOnly(Set.of("role", "tenantId", "description"));
    String roleName = body.string("role");
    Role role = switch (roleName) {
      case "owner" -> Role.OWNER;
      case "admin" -> Role.ADMIN;
      default -> throw body.invalid("role", "must be owner or admin");
    };
    Optional<String> tenantId = body.optionalString("tenantId");
    String description = body.optionalString("description").orElse("");
    if (description.length() > MAX_DESCRIPTION) {
      throw body.invalid("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    if (!principal.isOwner()) {
      if (role == Role.OWNER) {
        throw ApiProblem.forbidden("a tenant admin token may only create admin tokens of its own tenant");
      }
      tenantId = Optional.of(tenantId.orElse(principal.tenantId().orElseThrow()));
    }
    if (role == Role.OWNER && tenantId.isPresent()) {
      throw body.invalid("tenantId", "not allowed for role owner (owner tokens are installation-wide)");
    }
    if (role == Role.ADMIN && tenantId.isEmpty()) {
      throw body.invalid("tenantId", "is required for role admin");
    }
    Optional<String> tenant = tenantId;
    CompletionStage<?> tenantExists = tenant.isEmpty() ? CompletableFuture.completedFuture(null)
        : tenantVisible(principal, tenant.get());
    TokenSecrets.NewToken token = TokenSecrets.generate();
    return tenantExists
        .thenCompose(x -> hashing.submit(() -> TokenSecrets.hash(token.value(), settings.bcryptCost())))
        .thenCompose(hash -> AccessTokens.ref(system).<TokenRecord>askWithStatus(r -> new AccessTokens.IssueToken(
            new TokenRecord(token.tokenId(), role, tenant, description, hash, Instant.now(), Optional.empty()), r),
            settings.askTimeout()))
        .exceptionally(TokenAdmin::conflictFromRefusal)
        .thenApply(record -> {
          ObjectNode json = tokenJson(record);
          json.put("token", token.value()); // the only time the token is shown
          return created("/api/v1/tokens/" + record.tokenId(), json);
        });
  }

  /** The token store's refusals that are the client's to resolve (last owner, quota) are 409s. */
  private static TokenRecord conflictFromRefusal(Throwable failure) {
    if (DirectoryAdmin.unwrap(failure) instanceof StatusReply.ErrorMessage refusal
        && (AccessTokens.LAST_OWNER.equals(refusal.getMessage()) || AccessTokens.TOO_MANY.equals(refusal.getMessage()))) {
      throw ApiProblem.conflict(refusal.getMessage());
    }
    throw failure instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(failure);
  }

  /** The tenant exists and the principal may see it (else the Directory's own 404). */
  private CompletionStage<DirectoryView> tenantVisible(Principal principal, String tenantId) {
    if (!principal.mayAccessTenant(tenantId)) {
      return CompletableFuture.failedFuture(
          io.switchboard.call.directory.DirectoryError.notFound("tenant " + tenantId + " does not exist"));
    }
    return Directory.ref(system, tenantId).askWithStatus(Directory.GetDirectory::new, settings.askTimeout());
  }

  private CompletionStage<List<TokenRecord>> all() {
    return AccessTokens.ref(system)
        .<AccessTokens.TokenRecords>askWithStatus(AccessTokens.ListTokens::new, settings.askTimeout())
        .thenApply(AccessTokens.TokenRecords::tokens);
  }

  private CompletionStage<TokenRecord> visibleToken(AdminRoutes.Call call) {
    String tokenId = call.param(0);
    return AccessTokens.ref(system)
        .<TokenRecord>askWithStatus(r -> new AccessTokens.GetToken(tokenId, r), settings.askTimeout())
        .handle((token, failure) -> {
          Throwable cause = failure == null ? null : DirectoryAdmin.unwrap(failure);
          if (cause instanceof StatusReply.ErrorMessage || (token != null && !visible(call.principal(), token))) {
            throw ApiProblem.notFound("token " + tokenId + " does not exist");
          }
          if (cause != null) {
            throw new java.util.concurrent.CompletionException(cause);
          }
          return token;
        });
  }

  /** An owner sees every token; a tenant admin its tenant's admin tokens. */
  private static boolean visible(Principal principal, TokenRecord token) {
    return principal.isOwner() || token.tenantId().isPresent() && token.tenantId().equals(principal.tenantId());
  }

  static ObjectNode tokenJson(TokenRecord t) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", t.tokenId());
    n.put("role", t.role().name().toLowerCase(Locale.ROOT));
    n.put("tenantId", t.tenantId().orElse(null));
    n.put("description", t.description());
    n.put("createdAt", t.createdAt().toString());
    n.put("revokedAt", t.revokedAt().map(Instant::toString).orElse(null));
    return n;
  }
}
