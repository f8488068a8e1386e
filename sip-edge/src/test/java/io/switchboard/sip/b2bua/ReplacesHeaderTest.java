package io.switchboard.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipUri;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplacesHeaderTest {

  @Test
  void aReferToWithAnEscapedReplacesNamesTheDialog() {
    // RFC 3891 §7 / RFC 5589 style Refer-To.
    NameAddress referTo = NameAddress.parse("<sip:bob@biloxi.example?Replaces=425928%40bobster.example.org%3B"
        + "to-tag%3D7743%3Bfrom-tag%3D6472&Require=replaces>").orElseThrow();
    SipUri uri = referTo.sipUri().orElseThrow();
    assertEquals(Optional.of(new ReplacesHeader("425928@bobster.example.org", "7743", "6472", false)),
        ReplacesHeader.fromUriHeaders(uri.headers()));
  }

  @Test
  void earlyOnlyAndMissingTags() {
    assertEquals(Optional.of(new ReplacesHeader("a@b", "1", "2", true)),
        ReplacesHeader.parse("a@b;from-tag=2;to-tag=1;early-only"));
    assertEquals(Optional.empty(), ReplacesHeader.parse("a@b;to-tag=1"));
    assertEquals(Optional.empty(), ReplacesHeader.parse(";to-tag=1;from-tag=2"));
    assertEquals(Optional.empty(), ReplacesHeader.fromUriHeaders("Require=replaces"));
    assertEquals(Optional.empty(), ReplacesHeader.fromUriHeaders("Replaces=%ZZ"));
  }
}
