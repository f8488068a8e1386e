package io.switchboard.sip.message;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A name-addr or addr-spec with header parameters, as in From, To, Contact, Route, Refer-To
 * (RFC 3261 §20.10): {@code "Alice" <sip:alice@example.com>;tag=1928301774}. The URI stays text
 * so that tel: and other schemes pass through; {@link #sipUri()} parses it when it is sip/sips.
 */
public record NameAddress(Optional<String> displayName, String uri, Map<String, String> params) {

  public NameAddress {
    params = Map.copyOf(params);
  }

  public static NameAddress of(String uri) {
    return new NameAddress(Optional.empty(), uri, Map.of());
  }

  public static Optional<NameAddress> parse(String value) {
    if (SipGrammar.checkNameAddr(value).isPresent()) {
      return Optional.empty();
    }
    String v = SipGrammar.trimLws(value);
    int lt = -1;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') {
        i = SipGrammar.endOfQuoted(v, i);
        if (i < 0) {
          return Optional.empty();
        }
      } else if (c == '<') {
        lt = i;
        break;
      } else if (c == ';') {
        break;
      }
    }
    if (lt >= 0) {
      int gt = v.indexOf('>', lt);
      if (gt < 0) {
        return Optional.empty();
      }
      String display = SipGrammar.trimLws(v.substring(0, lt));
      Optional<String> name = display.isEmpty() ? Optional.empty() : Optional.of(SipParams.unquote(display));
      String rest = v.substring(gt + 1);
      int semi = rest.indexOf(';');
      return Optional.of(new NameAddress(name, v.substring(lt + 1, gt), semi < 0 ? Map.of()
          : SipParams.parse(rest.substring(semi + 1))));
    }
    // addr-spec form: parameters after the URI belong to the header (§20.10).
    List<String> parts = SipGrammar.splitTopLevel(v, ';').orElse(List.of(v));
    int semi = v.indexOf(';');
    return Optional.of(new NameAddress(Optional.empty(), SipGrammar.trimLws(parts.get(0)),
        semi < 0 ? Map.of() : SipParams.parse(v.substring(semi + 1))));
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  public Optional<String> tag() {
    return param("tag").filter(t -> !t.isEmpty());
  }

  public NameAddress withTag(String tag) {
    return withParam("tag", tag);
  }

  public NameAddress withoutTag() {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>(params);
    p.remove("tag");
    return new NameAddress(displayName, uri, p);
  }

  public NameAddress withParam(String name, String value) {
    return new NameAddress(displayName, uri, SipParams.with(params, name, value));
  }

  public Optional<SipUri> sipUri() {
    return SipUri.parse(uri);
  }

  /** Always the name-addr form, so that URI parameters never read as header parameters. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    displayName.filter(n -> !n.isEmpty()).ifPresent(n -> b.append(SipParams.quote(n)).append(' '));
    b.append('<').append(uri).append('>');
    SipParams.append(b, params);
    return b.toString();
  }
}
