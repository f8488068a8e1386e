package io.switchboard.persistence.installation;

import io.switchboard.persistence.installation.proto.GetInstallation;
import io.switchboard.persistence.installation.proto.InstallationCreated;
import io.switchboard.persistence.installation.proto.InstallationInfo;
import io.switchboard.persistence.installation.proto.InstallationState;
import io.switchboard.persistence.installation.proto.NodeStartRecorded;
import io.switchboard.persistence.installation.proto.RecordNodeStart;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Protobuf mappings of the {@link Installation} protocol, events and snapshot. */
public final class InstallationCodecs implements CodecRegistry {

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        ProtoCodec.of(Installation.InstallationCreated.class, "installation.InstallationCreated",
            InstallationCreated.parser(),
            e -> InstallationCreated.newBuilder().setInstallationId(e.installationId())
                .setCreatedAtEpochMillis(e.createdAt().toEpochMilli()).build(),
            p -> new Installation.InstallationCreated(p.getInstallationId(),
                Instant.ofEpochMilli(p.getCreatedAtEpochMillis()))),
        ProtoCodec.of(Installation.NodeStartRecorded.class, "installation.NodeStartRecorded",
            NodeStartRecorded.parser(),
            e -> NodeStartRecorded.newBuilder().setStartId(e.startId()).setNodeAddress(e.nodeAddress())
                .addAllRoles(e.roles()).setStartedAtEpochMillis(e.startedAt().toEpochMilli()).build(),
            p -> new Installation.NodeStartRecorded(p.getStartId(), p.getNodeAddress(), p.getRolesList(),
                Instant.ofEpochMilli(p.getStartedAtEpochMillis()))),
        ProtoCodec.of(Installation.State.class, "installation.State", InstallationState.parser(),
            s -> InstallationState.newBuilder().setInstallationId(s.installationId().orElse(""))
                .setCreatedAtEpochMillis(s.createdAt().toEpochMilli()).setNodeStarts(s.nodeStarts())
                .setLastStartedNode(s.lastStartedNode())
                .setLastStartedAtEpochMillis(s.lastStartedAt().toEpochMilli())
                .addAllRecentStartIds(s.recentStartIds()).build(),
            p -> new Installation.State(
                p.getInstallationId().isEmpty() ? Optional.empty() : Optional.of(p.getInstallationId()),
                Instant.ofEpochMilli(p.getCreatedAtEpochMillis()), p.getNodeStarts(), p.getLastStartedNode(),
                Instant.ofEpochMilli(p.getLastStartedAtEpochMillis()), p.getRecentStartIdsList())),
        ProtoCodec.withContext(Installation.RecordNodeStart.class, "installation.RecordNodeStart",
            RecordNodeStart.parser(),
            (c, ctx) -> RecordNodeStart.newBuilder().setStartId(c.startId()).setNodeAddress(c.nodeAddress())
                .addAllRoles(c.roles())
                .setStartedAtEpochMillis(c.startedAt().toEpochMilli())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Installation.RecordNodeStart(p.getStartId(), p.getNodeAddress(), p.getRolesList(),
                Instant.ofEpochMilli(p.getStartedAtEpochMillis()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Installation.GetInstallation.class, "installation.GetInstallation",
            GetInstallation.parser(),
            (c, ctx) -> GetInstallation.newBuilder().setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Installation.GetInstallation(ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.of(Installation.Info.class, "installation.Info", InstallationInfo.parser(),
            i -> InstallationInfo.newBuilder().setInstallationId(i.installationId())
                .setCreatedAtEpochMillis(i.createdAt().toEpochMilli()).setNodeStarts(i.nodeStarts())
                .setLastStartedNode(i.lastStartedNode())
                .setLastStartedAtEpochMillis(i.lastStartedAt().toEpochMilli()).build(),
            p -> new Installation.Info(p.getInstallationId(), Instant.ofEpochMilli(p.getCreatedAtEpochMillis()),
                p.getNodeStarts(), p.getLastStartedNode(), Instant.ofEpochMilli(p.getLastStartedAtEpochMillis()))));
  }
}
