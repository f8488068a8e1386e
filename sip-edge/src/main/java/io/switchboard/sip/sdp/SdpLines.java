package io.switchboard.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Line-level grammar of RFC 4566 §5 shared by the SDP records. Nothing here throws. */
final class SdpLines {
  private SdpLines() {}

  /**
   * {@code <type>=<value>} with a one-letter lower-case type (RFC 4566 §5: "<type> MUST be exactly
   * one case-significant character") and a value free of NUL, CR and LF (§9 {@code byte-string}).
   */
  static boolean isLine(String line) {
    if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
      return false;
    }
    for (int i = 2; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }

  static char type(String line) {
    return line.charAt(0);
  }

  static String value(String line) {
    return line.substring(2);
  }

  /**
   * The space-separated fields of a value. RFC 4566 §5 says exactly one space; runs of spaces and
   * leading/trailing ones are tolerated because some UAs write them and nothing is ambiguous.
   */
  static String[] fields(String value) {
    String v = value.strip();
    return v.isEmpty() ? new String[0] : v.split(" +");
  }

  /** A non-empty field without white space or control characters. */
  static boolean isField(String field) {
    if (field.isEmpty()) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c <= 0x20 || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** 1*DIGIT not above {@code max}; -1 otherwise (never overflows: at most 9 digits are read). */
  static int boundedInt(String s, int max) {
    if (s.isEmpty() || s.length() > 9) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    int v = Integer.parseInt(s);
    return v <= max ? v : -1;
  }

  /** The direction of a property attribute line ({@code a=sendonly} etc.), if it is one. */
  static Optional<MediaDirection> direction(String line) {
    return line.startsWith("a=") ? MediaDirection.fromAttribute(line.substring(2).strip()) : Optional.empty();
  }

  /**
   * The lines with their direction attributes replaced by one {@code a=<direction>} at the place of
   * the first; when there was none it is appended if {@code appendIfMissing}.
   */
  static List<String> withDirection(List<String> lines, MediaDirection direction, boolean appendIfMissing) {
    List<String> out = new ArrayList<>(lines.size() + 1);
    boolean placed = false;
    for (String line : lines) {
      if (direction(line).isEmpty()) {
        out.add(line);
      } else if (!placed) {
        out.add("a=" + direction.attribute());
        placed = true;
      }
    }
    if (!placed && appendIfMissing) {
      out.add("a=" + direction.attribute());
    }
    return out;
  }
}
