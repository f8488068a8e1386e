package io.switchboard.media;

import io.switchboard.config.SettingsReader;

/**
 * Where the media plane listens.
 *
 * @param host       RTP address, also advertised in SDP
 * @param rtpPortMin first port of the RTP range (even: RTP takes even ports, RTCP the next odd one)
 * @param rtpPortMax last port of the range
 */
public record MediaSettings(String host, int rtpPortMin, int rtpPortMax) {

  /** Endpoints this range can hold at once (one RTP + RTCP pair each). */
  public int endpointCapacity() {
    return (rtpPortMax - rtpPortMin + 1) / 2;
  }

  public static MediaSettings read(SettingsReader root) {
    SettingsReader m = root.at("switchboard.media");
    String host = m.nonEmptyString("host");
    int min = m.port("rtp-port-min", false);
    int max = m.port("rtp-port-max", false);
    if (min % 2 != 0) {
      m.problem("rtp-port-min", "= " + min + " must be even (RTP uses even ports, RTCP the odd one above)");
    }
    if (min != 0 && max != 0 && max <= min) {
      m.problem("rtp-port-max", "= " + max + " must be above " + m.fullKey("rtp-port-min") + " = " + min);
    }
    return new MediaSettings(host, min, max);
  }
}
