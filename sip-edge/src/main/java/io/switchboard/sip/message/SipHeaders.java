package io.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header fields of a message in arrival order. Lookups are case-insensitive and treat compact
 * forms as their long names (RFC 3261 §7.3.1, §7.3.3); the fields themselves keep their wire
 * spelling so that re-encoding changes nothing that was not asked for.
 */
public record SipHeaders(List<SipHeader> fields) {

  public SipHeaders {
    fields = List.copyOf(fields);
  }

  public static SipHeaders of(SipHeader... fields) {
    return new SipHeaders(List.of(fields));
  }

  /** Every field with this name, in order. */
  public List<SipHeader> all(String name) {
    List<SipHeader> out = new ArrayList<>();
    for (SipHeader h : fields) {
      if (h.is(name)) {
        out.add(h);
      }
    }
    return out;
  }

  /** How many fields (lines) carry this name; a comma list on one line counts once. */
  public int count(String name) {
    return all(name).size();
  }

  /** The value of the first field with this name. */
  public Optional<String> first(String name) {
    for (SipHeader h : fields) {
      if (h.is(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /**
   * All values of this header. For list headers (Via, Contact, Route, Require, ...) each field is
   * split at top-level commas, so commas inside quoted strings and {@code <...>} stay in place
   * (RFC 3261 §7.3.1). Other headers, and unknown ones, are returned whole: their commas are
   * opaque. Empty elements are dropped; the parser has already rejected them where they matter.
   */
  public List<String> values(String name) {
    List<String> out = new ArrayList<>();
    boolean list = SipHeaderNames.isList(name);
    for (SipHeader h : all(name)) {
      if (!list) {
        out.add(h.value());
        continue;
      }
      for (String element : SipGrammar.splitTopLevel(h.value(), ',').orElse(List.of(h.value()))) {
        String trimmed = SipGrammar.trimLws(element);
        if (!trimmed.isEmpty()) {
          out.add(trimmed);
        }
      }
    }
    return out;
  }

  /** A copy in which every field with this name is removed and one field {@code name: value} is appended. */
  public SipHeaders withOnly(String name, String value) {
    List<SipHeader> out = new ArrayList<>();
    boolean replaced = false;
    for (SipHeader h : fields) {
      if (!h.is(name)) {
        out.add(h);
      } else if (!replaced) {
        // Keep the first field's position and spelling (e.g. compact "l") so a correct message
        // re-encodes unchanged.
        out.add(new SipHeader(h.name(), value));
        replaced = true;
      }
    }
    if (!replaced) {
      out.add(new SipHeader(name, value));
    }
    return new SipHeaders(out);
  }

  /** A copy with {@code name: value} appended after every other field. */
  public SipHeaders plus(String name, String value) {
    List<SipHeader> out = new ArrayList<>(fields);
    out.add(new SipHeader(name, value));
    return new SipHeaders(out);
  }

  /** A copy with {@code name: value} as the first field of its name (e.g. a proxy's new top Via), placed
   * before the first existing one, or first of all when there is none. */
  public SipHeaders prepended(String name, String value) {
    List<SipHeader> out = new ArrayList<>(fields.size() + 1);
    boolean done = false;
    for (SipHeader h : fields) {
      if (!done && h.is(name)) {
        out.add(new SipHeader(name, value));
        done = true;
      }
      out.add(h);
    }
    if (!done) {
      out.add(0, new SipHeader(name, value));
    }
    return new SipHeaders(out);
  }

  /** A copy without any field of this name. */
  public SipHeaders without(String name) {
    List<SipHeader> out = new ArrayList<>(fields.size());
    for (SipHeader h : fields) {
      if (!h.is(name)) {
        out.add(h);
      }
    }
    return new SipHeaders(out);
  }
}
