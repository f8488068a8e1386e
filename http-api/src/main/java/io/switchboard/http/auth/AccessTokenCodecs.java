package io.switchboard.http.auth;

import io.switchboard.http.auth.proto.AccessTokensStateProto;
import io.switchboard.http.auth.proto.BootstrapOutcomeProto;
import io.switchboard.http.auth.proto.IssueTokenProto;
import io.switchboard.http.auth.proto.RoleProto;
import io.switchboard.http.auth.proto.TokenIdCommandProto;
import io.switchboard.http.auth.proto.TokenIssuedProto;
import io.switchboard.http.auth.proto.TokenRecordProto;
import io.switchboard.http.auth.proto.TokenRecordsProto;
import io.switchboard.http.auth.proto.TokenRevokedProto;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Protobuf mappings of the {@link AccessTokens} protocol, events and snapshot. Manifests: {@code auth.<Type>}. */
public final class AccessTokenCodecs implements CodecRegistry {

  static TokenRecordProto token(TokenRecord t) {
    return TokenRecordProto.newBuilder().setTokenId(t.tokenId())
        .setRole(t.role() == Role.OWNER ? RoleProto.OWNER : RoleProto.ADMIN)
        .setTenantId(t.tenantId().orElse("")).setDescription(t.description()).setSecretHash(t.secretHash())
        .setCreatedAtEpochMillis(t.createdAt().toEpochMilli())
        .setRevokedAtEpochMillis(t.revokedAt().map(Instant::toEpochMilli).orElse(0L)).build();
  }

  static TokenRecord token(TokenRecordProto p) {
    // An unknown (newer) role reads as the narrower one.
    Role role = p.getRole() == RoleProto.OWNER ? Role.OWNER : Role.ADMIN;
    return new TokenRecord(p.getTokenId(), role, p.getTenantId().isEmpty() ? Optional.empty()
        : Optional.of(p.getTenantId()), p.getDescription(), p.getSecretHash(),
        Instant.ofEpochMilli(p.getCreatedAtEpochMillis()),
        p.getRevokedAtEpochMillis() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(p.getRevokedAtEpochMillis())));
  }

  private static TokenIdCommandProto.Builder byId(String tokenId, String replyTo) {
    return TokenIdCommandProto.newBuilder().setTokenId(tokenId).setReplyTo(replyTo);
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        ProtoCodec.of(AccessTokens.TokenIssued.class, "auth.TokenIssued", TokenIssuedProto.parser(),
            e -> TokenIssuedProto.newBuilder().setToken(token(e.token())).setBootstrap(e.bootstrap()).build(),
            p -> new AccessTokens.TokenIssued(token(p.getToken()), p.getBootstrap())),
        ProtoCodec.of(AccessTokens.TokenRevoked.class, "auth.TokenRevoked", TokenRevokedProto.parser(),
            e -> TokenRevokedProto.newBuilder().setTokenId(e.tokenId()).setRevokedAtEpochMillis(e.at().toEpochMilli())
                .build(),
            p -> new AccessTokens.TokenRevoked(p.getTokenId(), Instant.ofEpochMilli(p.getRevokedAtEpochMillis()))),
        ProtoCodec.of(AccessTokens.State.class, "auth.State", AccessTokensStateProto.parser(),
            s -> AccessTokensStateProto.newBuilder()
                .addAllTokens(s.tokens().values().stream().map(AccessTokenCodecs::token).toList())
                .setBootstrapTokenId(s.bootstrapTokenId().orElse("")).build(),
            p -> {
              TreeMap<String, TokenRecord> tokens = new TreeMap<>();
              p.getTokensList().forEach(t -> tokens.put(t.getTokenId(), token(t)));
              return new AccessTokens.State(tokens, p.getBootstrapTokenId().isEmpty() ? Optional.empty()
                  : Optional.of(p.getBootstrapTokenId()));
            }),
        ProtoCodec.withContext(AccessTokens.IssueToken.class, "auth.IssueToken", IssueTokenProto.parser(),
            (c, ctx) -> IssueTokenProto.newBuilder().setToken(token(c.token()))
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new AccessTokens.IssueToken(token(p.getToken()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(AccessTokens.BootstrapOwnerToken.class, "auth.BootstrapOwnerToken",
            IssueTokenProto.parser(),
            (c, ctx) -> IssueTokenProto.newBuilder().setToken(token(c.token())).setBootstrap(true)
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new AccessTokens.BootstrapOwnerToken(token(p.getToken()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(AccessTokens.RevokeToken.class, "auth.RevokeToken", TokenIdCommandProto.parser(),
            (c, ctx) -> byId(c.tokenId(), ctx.serializeRef(c.replyTo())).setAtEpochMillis(c.at().toEpochMilli())
                .build(),
            (p, ctx) -> new AccessTokens.RevokeToken(p.getTokenId(), Instant.ofEpochMilli(p.getAtEpochMillis()),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(AccessTokens.GetToken.class, "auth.GetToken", TokenIdCommandProto.parser(),
            (c, ctx) -> byId(c.tokenId(), ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new AccessTokens.GetToken(p.getTokenId(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(AccessTokens.ListTokens.class, "auth.ListTokens", TokenIdCommandProto.parser(),
            (c, ctx) -> byId("", ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new AccessTokens.ListTokens(ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.of(TokenRecord.class, "auth.TokenRecord", TokenRecordProto.parser(), AccessTokenCodecs::token,
            AccessTokenCodecs::token),
        ProtoCodec.of(AccessTokens.TokenRecords.class, "auth.TokenRecords", TokenRecordsProto.parser(),
            r -> TokenRecordsProto.newBuilder().addAllTokens(r.tokens().stream().map(AccessTokenCodecs::token).toList())
                .build(),
            p -> new AccessTokens.TokenRecords(p.getTokensList().stream().map(AccessTokenCodecs::token).toList())),
        ProtoCodec.of(AccessTokens.BootstrapOutcome.class, "auth.BootstrapOutcome", BootstrapOutcomeProto.parser(),
            o -> BootstrapOutcomeProto.newBuilder().setIssued(o.issued()).build(),
            p -> new AccessTokens.BootstrapOutcome(p.getIssued())));
  }
}
