package io.switchboard.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node does in the cluster. A developer's node has every role. */
public enum ClusterRole {
  /** SIP transports, transactions and dialogs. */
  EDGE,
  /** RTP workers: relay, playback, recording, mixing. */
  MEDIA,
  /** Hosts the sharded telephony entities (Call, User, Directory, ...). */
  CORE,
  /** Admin HTTP API, status page and WebSocket client gateway. */
  API,
  /** Runs the projections that build read models from the journal. */
  PROJECTION;

  /** The name used in configuration and as the Pekko cluster role. */
  public String roleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Set<ClusterRole> all() {
    return EnumSet.allOf(ClusterRole.class);
  }
}
