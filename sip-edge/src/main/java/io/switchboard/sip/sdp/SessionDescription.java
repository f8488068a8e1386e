package io.switchboard.sip.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SDP session description (RFC 4566), modelled only as far as a B2BUA that passes SDP through
 * needs: the lines are kept verbatim and in order, unknown ones included, so that
 * {@code parse(x).format().equals(x)} for well-formed input with CRLF line ends; the typed accessors
 * read from those lines, and the {@code with...} methods change only the lines they are about.
 *
 * <p>Octets: SDP text fields are UTF-8 by default and may declare another charset (RFC 4566 §5,
 * {@code a=charset} of §6); everything else is ASCII. To pass any body through unchanged, {@link #parse(byte[])}
 * maps each octet to one char (ISO-8859-1, as the SIP layer does for header text) and
 * {@link #toBytes()} maps back, so a UTF-8 {@code s=} line survives byte for byte. For the same
 * reason {@link #parse(String)} refuses chars above U+00FF, which no octet maps to.
 *
 * @param sessionLines the session-level lines, {@code v=} first, without line ends
 * @param media        the media sections, in order
 */
public record SessionDescription(List<String> sessionLines, List<MediaDescription> media) {

  /** Largest description accepted (64 KiB); a real offer is a few kilobytes. */
  public static final int MAX_OCTETS = 64 * 1024;
  /** Most media sections accepted; conferencing offers have a handful. */
  public static final int MAX_MEDIA = 64;

  public SessionDescription {
    sessionLines = List.copyOf(sessionLines);
    media = List.copyOf(media);
    Optional<String> problem = problem(sessionLines, media.size());
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /**
   * Parses SDP text. Line ends may be CRLF or bare LF (RFC 4566 §5 allows parsers to accept LF);
   * blank lines are skipped. Empty, never an exception, when the text is longer than
   * {@link #MAX_OCTETS}, holds a char above U+00FF, a line is not {@code <type>=<value>}, the first
   * line is not {@code v=0}, the session part lacks exactly one valid {@code o=} or exactly one
   * {@code s=}, an {@code m=} or {@code c=} line does not parse (bad or non-numeric port, no
   * format), or there are more than {@link #MAX_MEDIA} media sections.
   */
  public static Optional<SessionDescription> parse(String text) {
    if (text == null || text.length() > MAX_OCTETS) {
      return Optional.empty();
    }
    List<String> session = new ArrayList<>();
    List<List<String>> sections = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int lf = text.indexOf('\n', start);
      int end = lf < 0 ? text.length() : lf;
      String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (!SdpLines.isLine(line) || line.chars().anyMatch(c -> c > 0xFF)) {
        return Optional.empty();
      }
      if (SdpLines.type(line) == 'm') {
        if (sections.size() == MAX_MEDIA) {
          return Optional.empty();
        }
        sections.add(new ArrayList<>());
      }
      (sections.isEmpty() ? session : sections.get(sections.size() - 1)).add(line);
    }
    if (problem(session, sections.size()).isPresent()) {
      return Optional.empty();
    }
    List<MediaDescription> media = new ArrayList<>(sections.size());
    for (List<String> section : sections) {
      if (MediaDescription.problem(section).isPresent()) {
        return Optional.empty();
      }
      media.add(new MediaDescription(section));
    }
    return Optional.of(new SessionDescription(session, media));
  }

  /** Parses a message body; see the class comment for how octets map to text. */
  public static Optional<SessionDescription> parse(byte[] body) {
    if (body == null || body.length > MAX_OCTETS) {
      return Optional.empty();
    }
    return parse(new String(body, StandardCharsets.ISO_8859_1));
  }

  /** Session-level problems, if any. */
  private static Optional<String> problem(List<String> session, int mediaCount) {
    if (mediaCount > MAX_MEDIA) {
      return Optional.of("more than " + MAX_MEDIA + " media sections");
    }
    if (session.isEmpty() || !session.get(0).equals("v=0")) {
      return Optional.of("the first line is not v=0 (RFC 4566 §5.1)");
    }
    int origins = 0;
    int names = 0;
    for (String line : session) {
      if (!SdpLines.isLine(line) || line.chars().anyMatch(c -> c > 0xFF)) {
        return Optional.of("not a <type>=<value> line: " + MediaDescription.clip(line));
      }
      switch (SdpLines.type(line)) {
        case 'm' -> {
          return Optional.of("m= line among the session-level lines");
        }
        case 'o' -> {
          origins++;
          if (Origin.parseValue(SdpLines.value(line)).isEmpty()) {
            return Optional.of("bad o= line: " + MediaDescription.clip(line));
          }
        }
        case 's' -> names++;
        case 'c' -> {
          if (Connection.parseValue(SdpLines.value(line)).isEmpty()) {
            return Optional.of("bad c= line: " + MediaDescription.clip(line));
          }
        }
        default -> {
          // other session-level lines are kept as they are
        }
      }
    }
    if (origins != 1 || names != 1) {
      return Optional.of("a session description has exactly one o= and one s= line (RFC 4566 §5)");
    }
    return Optional.empty();
  }

  /** The text: every line followed by CRLF (RFC 4566 §5). */
  public String format() {
    StringBuilder b = new StringBuilder();
    for (String line : sessionLines) {
      b.append(line).append("\r\n");
    }
    for (MediaDescription m : media) {
      for (String line : m.lines()) {
        b.append(line).append("\r\n");
      }
    }
    return b.toString();
  }

  /** The body octets: {@link #format()} with each char as one octet. */
  public byte[] toBytes() {
    return format().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The {@code o=} line's fields. */
  public Origin origin() {
    for (String line : sessionLines) {
      if (SdpLines.type(line) == 'o') {
        return Origin.parseValue(SdpLines.value(line)).orElseThrow();
      }
    }
    throw new IllegalStateException("validated on construction");
  }

  /** The session-level {@code c=} line, which applies to media sections without their own (RFC 4566 §5.7). */
  public Optional<Connection> connection() {
    for (String line : sessionLines) {
      if (SdpLines.type(line) == 'c') {
        return Connection.parseValue(SdpLines.value(line));
      }
    }
    return Optional.empty();
  }

  /** The session-level connection address (without multicast suffixes). */
  public Optional<String> connectionAddress() {
    return connection().map(Connection::host);
  }

  /** The connection that applies to a media section: its own, else the session's. */
  public Optional<Connection> connectionFor(MediaDescription m) {
    return m.connection().or(this::connection);
  }

  /** A session-level direction attribute, which applies to media sections without their own (RFC 3264 §5.1). */
  public Optional<MediaDirection> sessionDirection() {
    for (String line : sessionLines) {
      Optional<MediaDirection> d = SdpLines.direction(line);
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  /**
   * The audio stream the call is about: the first {@code m=audio} with a port other than 0, else the
   * first {@code m=audio} (a port of 0 rejects or disables a stream, RFC 3264 §6, §8.2, so a
   * disabled audio section before a live one is not the call's audio).
   */
  public Optional<MediaDescription> firstAudio() {
    Optional<MediaDescription> any = Optional.empty();
    for (MediaDescription m : media) {
      if (m.media().equalsIgnoreCase("audio")) {
        if (m.port() != 0) {
          return Optional.of(m);
        }
        if (any.isEmpty()) {
          any = Optional.of(m);
        }
      }
    }
    return any;
  }

  /**
   * The direction of the audio stream as its writer means it (RFC 3264 §5.1): the media-level
   * attribute, else the session-level one, else sendrecv. A connection address of 0.0.0.0 means
   * "neither RTP nor RTCP is to be sent to the peer" (RFC 3264 §8.4, the RFC 2543 way to hold), so
   * it takes receiving away: sendrecv becomes sendonly, recvonly becomes inactive. Without an audio
   * stream, the session-level attribute or sendrecv.
   *
   * <p>RFC 3264 §8.4 also allows 0.0.0.0 in an initial offer whose addresses are not yet known; this
   * reads it as hold regardless, as PBXs and SBCs commonly do.
   */
  public MediaDirection direction() {
    Optional<MediaDescription> audio = firstAudio();
    MediaDirection d = audio.flatMap(MediaDescription::direction).or(this::sessionDirection)
        .orElse(MediaDirection.SENDRECV);
    if (audio.isPresent() && connectionFor(audio.get()).map(Connection::isUnspecifiedAddress).orElse(false)) {
      return d.withoutReceiving();
    }
    return d;
  }

  /**
   * Whether this description puts the call on hold: the audio stream is sendonly or inactive, or
   * has connection address 0.0.0.0 (RFC 3264 §8.4; see {@link #direction()}).
   */
  public boolean isHold() {
    MediaDirection d = direction();
    return d == MediaDirection.SENDONLY || d == MediaDirection.INACTIVE;
  }

  /**
   * This description with every media section set to {@code direction} (one direction attribute
   * each, in place of the first existing one or appended), and a session-level direction attribute,
   * if there was one, replaced too, so that it cannot contradict. Connection addresses are left as
   * they are: a 0.0.0.0 hold cannot be undone without the real address.
   */
  public SessionDescription withDirection(MediaDirection direction) {
    Objects.requireNonNull(direction, "direction");
    List<MediaDescription> m = new ArrayList<>(media.size());
    for (MediaDescription section : media) {
      m.add(section.withDirection(direction));
    }
    return new SessionDescription(SdpLines.withDirection(sessionLines, direction, false), m);
  }

  /**
   * This description with the o= sess-version one higher (RFC 3264 §8: each new offer or answer in
   * a session that changes anything increments it by one; a B2BUA that rewrites SDP must do so).
   */
  public SessionDescription withOriginVersionIncremented() {
    List<String> lines = new ArrayList<>(sessionLines.size());
    for (String line : sessionLines) {
      lines.add(SdpLines.type(line) == 'o' ? origin().withVersionIncremented().toLine() : line);
    }
    return new SessionDescription(lines, media);
  }

  /** The direction to answer an offered direction with (RFC 3264 §6.1); see {@link MediaDirection#answer()}. */
  public static MediaDirection answerDirectionFor(MediaDirection offerDirection) {
    return offerDirection.answer();
  }

  /** The telephone-event/8000 payload type of the audio stream (RFC 4733), if it offers one. */
  public Optional<Integer> telephoneEventPayloadType() {
    return firstAudio().flatMap(MediaDescription::telephoneEventPayloadType);
  }
}
