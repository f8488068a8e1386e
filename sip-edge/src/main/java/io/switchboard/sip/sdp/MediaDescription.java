package io.switchboard.sip.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One media section (RFC 4566 §5.14): the {@code m=} line and the lines after it up to the next
 * {@code m=}, kept verbatim and in order so that a B2BUA passing SDP through changes only what it
 * means to change.
 *
 * @param lines the section's lines without line ends; the first is the {@code m=} line
 */
public record MediaDescription(List<String> lines) {

  /** Highest port (RFC 4566 §5.14: a UDP/TCP port). */
  private static final int MAX_PORT = 65_535;

  public MediaDescription {
    lines = List.copyOf(lines);
    Optional<String> problem = problem(lines);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** What is wrong with these lines as a media section, if anything. */
  static Optional<String> problem(List<String> lines) {
    if (lines.isEmpty()) {
      return Optional.of("empty media section");
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!SdpLines.isLine(line)) {
        return Optional.of("not a <type>=<value> line: " + clip(line));
      }
      if ((i == 0) != (SdpLines.type(line) == 'm')) {
        return Optional.of(i == 0 ? "media section does not start with m=" : "m= inside a media section");
      }
      if (SdpLines.type(line) == 'c' && Connection.parseValue(SdpLines.value(line)).isEmpty()) {
        return Optional.of("bad c= line: " + clip(line));
      }
    }
    return mediaLineProblem(SdpLines.value(lines.get(0)));
  }

  /**
   * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} (RFC 4566 §5.14): at least one
   * format, a port in 0..65535 (0 rejects or disables the stream, RFC 3264 §5.1, §6), a port count
   * of at least 1.
   */
  private static Optional<String> mediaLineProblem(String value) {
    String[] f = SdpLines.fields(value);
    if (f.length < 4) {
      return Optional.of("m= needs media, port, proto and at least one format: " + clip(value));
    }
    for (String field : f) {
      if (!SdpLines.isField(field)) {
        return Optional.of("bad m= field in: " + clip(value));
      }
    }
    String[] port = f[1].split("/", -1);
    if (port.length > 2 || SdpLines.boundedInt(port[0], MAX_PORT) < 0
        || (port.length == 2 && SdpLines.boundedInt(port[1], MAX_PORT) < 1)) {
      return Optional.of("bad m= port: " + clip(f[1]));
    }
    return Optional.empty();
  }

  private String[] mediaFields() {
    return SdpLines.fields(SdpLines.value(lines.get(0)));
  }

  /** The media type: "audio", "video", "application", ... as written. */
  public String media() {
    return mediaFields()[0];
  }

  /** The transport port; 0 for a rejected or disabled stream (RFC 3264 §6). */
  public int port() {
    return SdpLines.boundedInt(mediaFields()[1].split("/", -1)[0], MAX_PORT);
  }

  /** The {@code /<number of ports>} of the m= line, 1 when absent. */
  public int numberOfPorts() {
    String[] p = mediaFields()[1].split("/", -1);
    return p.length == 2 ? SdpLines.boundedInt(p[1], MAX_PORT) : 1;
  }

  /** "RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", ... as written. */
  public String proto() {
    return mediaFields()[2];
  }

  /** The formats (RTP payload types for RTP profiles), in preference order. */
  public List<String> formats() {
    String[] f = mediaFields();
    return List.of(Arrays.copyOfRange(f, 3, f.length));
  }

  /** The values of this section's {@code a=} lines, in order, e.g. "rtpmap:0 PCMU/8000", "sendrecv". */
  public List<String> attributes() {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (SdpLines.type(line) == 'a') {
        out.add(SdpLines.value(line));
      }
    }
    return out;
  }

  /**
   * The values of every {@code a=<name>:<value>} line with this name, in order; "" for a property
   * attribute {@code a=<name>}.
   */
  public List<String> attributeValues(String name) {
    List<String> out = new ArrayList<>();
    for (String a : attributes()) {
      int colon = a.indexOf(':');
      String n = colon < 0 ? a : a.substring(0, colon);
      if (n.equals(name)) {
        out.add(colon < 0 ? "" : a.substring(colon + 1));
      }
    }
    return out;
  }

  /** The direction attribute of this section; empty when it has none (the session's then applies). */
  public Optional<MediaDirection> direction() {
    for (String line : lines) {
      Optional<MediaDirection> d = SdpLines.direction(line);
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  /** This section's own (first) {@code c=} line; empty when it inherits the session's (RFC 4566 §5.7). */
  public Optional<Connection> connection() {
    for (String line : lines) {
      if (SdpLines.type(line) == 'c') {
        return Connection.parseValue(SdpLines.value(line));
      }
    }
    return Optional.empty();
  }

  /** The address of this section's own {@code c=} line. */
  public Optional<String> connectionAddress() {
    return connection().map(Connection::host);
  }

  /**
   * The payload type mapped to {@code telephone-event/8000} (RFC 4733 DTMF events), if it
   * is also one of the m= line's formats. Only the 8000 Hz clock rate: that is the one a PSTN-facing
   * B2BUA relays; a WebRTC offer's telephone-event/48000 is ignored.
   */
  public Optional<Integer> telephoneEventPayloadType() {
    List<String> formats = formats();
    for (String rtpmap : attributeValues("rtpmap")) {
      String[] pt = rtpmap.strip().split(" +", 2);
      if (pt.length != 2 || !formats.contains(pt[0])) {
        continue;
      }
      String[] encoding = pt[1].strip().split("/", -1);
      int type = SdpLines.boundedInt(pt[0], 127);
      if (type >= 0 && encoding.length >= 2 && encoding[0].equalsIgnoreCase("telephone-event")
          && encoding[1].equals("8000")) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * This section with exactly one direction attribute: the first existing one replaced in place,
   * any others removed, or {@code a=<direction>} appended when there was none.
   */
  public MediaDescription withDirection(MediaDirection direction) {
    return new MediaDescription(SdpLines.withDirection(lines, direction, true));
  }

  static String clip(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
