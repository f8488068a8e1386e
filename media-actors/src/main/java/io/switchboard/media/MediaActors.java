package io.switchboard.media;

import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The wiring point of the media plane: cluster-node calls {@link #init} on nodes with the
 * {@code media} role. The media node actor, its Netty RTP workers and port allocation land with
 * the Media plane issue; until then this node advertises no media capacity.
 */
public final class MediaActors {
  private MediaActors() {}

  public static void init(ActorSystem<?> system, MediaSettings settings) {
    system.log().debug("media-actors ready (RTP {}:{}-{}, room for {} endpoints)", settings.host(),
        settings.rtpPortMin(), settings.rtpPortMax(), settings.endpointCapacity());
  }
}
