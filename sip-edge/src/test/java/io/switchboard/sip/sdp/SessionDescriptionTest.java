package io.switchboard.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {

  /** What baresip 3.x offers: opus, G.711, DTMF, a video section, tool and ssrc attributes. */
  static final String BARESIP = crlf(
      "v=0",
      "o=- 1163289046 3254624017 IN IP4 192.0.2.10",
      "s=-",
      "c=IN IP4 192.0.2.10",
      "t=0 0",
      "a=tool:baresip 3.10.1",
      "m=audio 10026 RTP/AVP 96 0 8 101",
      "b=AS:128",
      "a=rtpmap:96 opus/48000/2",
      "a=fmtp:96 stereo=1;sprop-stereo=1",
      "a=rtpmap:0 PCMU/8000",
      "a=rtpmap:8 PCMA/8000",
      "a=rtpmap:101 telephone-event/8000",
      "a=fmtp:101 0-15",
      "a=sendrecv",
      "a=label:1",
      "a=rtcp-rsize",
      "a=ssrc:2907436781 cname:4e0c1a1b-1a1e-4b5c-9a4d-1f0a2b3c4d5e",
      "a=mid:0",
      "a=ptime:20",
      "m=video 10028 RTP/AVPF 100",
      "b=AS:1000",
      "a=rtpmap:100 VP8/90000",
      "a=rtcp-fb:* nack pli",
      "a=sendrecv",
      "a=mid:1");

  /** sipp's uac scenario offer, with the keywords filled in. */
  static final String SIPP = crlf(
      "v=0",
      "o=user1 53655765 2353687637 IN IP4 127.0.1.1",
      "s=-",
      "c=IN IP4 127.0.1.1",
      "t=0 0",
      "m=audio 6000 RTP/AVP 0",
      "a=rtpmap:0 PCMU/8000");

  static String crlf(String... lines) {
    return String.join("\r\n", lines) + "\r\n";
  }

  static SessionDescription parse(String text) {
    return SessionDescription.parse(text).orElseThrow(() -> new AssertionError("does not parse:\n" + text));
  }

  static void refused(String text) {
    assertEquals(Optional.empty(), SessionDescription.parse(text), text);
  }

  @Test
  void baresipOfferRoundTripsAndReads() {
    SessionDescription sdp = parse(BARESIP);
    assertEquals(BARESIP, sdp.format());
    assertEquals(new Origin("-", "1163289046", "3254624017", "IN", "IP4", "192.0.2.10"), sdp.origin());
    assertEquals(Optional.of("192.0.2.10"), sdp.connectionAddress());
    assertEquals(2, sdp.media().size());
    MediaDescription audio = sdp.media().get(0);
    assertEquals("audio", audio.media());
    assertEquals(10026, audio.port());
    assertEquals(1, audio.numberOfPorts());
    assertEquals("RTP/AVP", audio.proto());
    assertEquals(List.of("96", "0", "8", "101"), audio.formats());
    assertEquals(List.of("96 opus/48000/2", "0 PCMU/8000", "8 PCMA/8000", "101 telephone-event/8000"),
        audio.attributeValues("rtpmap"));
    assertEquals(List.of(""), audio.attributeValues("sendrecv"));
    assertEquals(Optional.empty(), audio.connection());
    assertEquals(Optional.of(new Connection("IN", "IP4", "192.0.2.10")), sdp.connectionFor(audio));
    assertEquals("video", sdp.media().get(1).media());
    assertEquals("RTP/AVPF", sdp.media().get(1).proto());
    assertEquals(MediaDirection.SENDRECV, sdp.direction());
    assertFalse(sdp.isHold());
    assertEquals(Optional.of(101), sdp.telephoneEventPayloadType());
  }

  @Test
  void sippOfferRoundTripsAndReads() {
    SessionDescription sdp = parse(SIPP);
    assertEquals(SIPP, sdp.format());
    assertEquals("user1", sdp.origin().username());
    assertEquals("2353687637", sdp.origin().sessVersion()); // above Integer.MAX_VALUE
    assertEquals(MediaDirection.SENDRECV, sdp.direction()); // no attribute: sendrecv
    assertEquals(Optional.empty(), sdp.telephoneEventPayloadType());
    assertArrayEquals(SIPP.getBytes(StandardCharsets.US_ASCII), sdp.toBytes());
  }

  @Test
  void bareLfIsAcceptedAndFormattedAsCrlf() {
    String lf = SIPP.replace("\r\n", "\n");
    assertEquals(SIPP, parse(lf).format());
    // mixed, no final line end, trailing blank lines
    assertEquals(SIPP, parse(SIPP.replace("t=0 0\r\n", "t=0 0\n").strip()).format());
    assertEquals(SIPP, parse(SIPP + "\r\n\r\n").format());
  }

  @Test
  void octetsOutsideAsciiSurviveAByteRoundTrip() {
    String withUtf8 = SIPP.replace("s=-", "s=Caf\u00e9 \u263a");
    byte[] body = withUtf8.getBytes(StandardCharsets.UTF_8);
    SessionDescription sdp = SessionDescription.parse(body).orElseThrow();
    assertArrayEquals(body, sdp.toBytes());
    byte[] changed = sdp.withDirection(MediaDirection.SENDONLY).withOriginVersionIncremented().toBytes();
    assertEquals(withUtf8.replace("2353687637", "2353687638") + "a=sendonly\r\n",
        new String(changed, StandardCharsets.UTF_8));
    // a String with chars no octet maps to is refused rather than mangled on output
    refused(withUtf8);
  }

  @Test
  void holdBySendonlyInactiveAndZeroAddress() {
    SessionDescription sendonly = parse(SIPP + "a=sendonly\r\n");
    assertEquals(MediaDirection.SENDONLY, sendonly.direction());
    assertTrue(sendonly.isHold());

    SessionDescription inactive = parse(SIPP + "a=inactive\r\n");
    assertEquals(MediaDirection.INACTIVE, inactive.direction());
    assertTrue(inactive.isHold());

    SessionDescription recvonly = parse(SIPP + "a=recvonly\r\n");
    assertEquals(MediaDirection.RECVONLY, recvonly.direction());
    assertFalse(recvonly.isHold());

    // RFC 2543 hold: c=0.0.0.0 at session level, no direction attribute
    SessionDescription zero = parse(SIPP.replace("c=IN IP4 127.0.1.1", "c=IN IP4 0.0.0.0"));
    assertEquals(MediaDirection.SENDONLY, zero.direction());
    assertTrue(zero.isHold());
    // ... and at media level, overriding a live session-level address, with recvonly
    SessionDescription zeroMedia = parse(SIPP + "c=IN IP4 0.0.0.0\r\na=recvonly\r\n");
    assertEquals(MediaDirection.INACTIVE, zeroMedia.direction());
    assertTrue(zeroMedia.isHold());
    // a live media-level address overrides a 0.0.0.0 session level
    SessionDescription live = parse(SIPP.replace("c=IN IP4 127.0.1.1", "c=IN IP4 0.0.0.0")
        + "c=IN IP4 192.0.2.1\r\n");
    assertFalse(live.isHold());
    // IPv6 is not RFC 2543 hold
    assertFalse(parse(SIPP.replace("c=IN IP4 127.0.1.1", "c=IN IP6 ::")).isHold());
  }

  @Test
  void mediaLevelDirectionOverridesSessionLevel() {
    String sessionSendonly = SIPP.replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");
    assertEquals(MediaDirection.SENDONLY, parse(sessionSendonly).direction());
    assertEquals(Optional.of(MediaDirection.SENDONLY), parse(sessionSendonly).sessionDirection());
    SessionDescription overridden = parse(sessionSendonly + "a=sendrecv\r\n");
    assertEquals(MediaDirection.SENDRECV, overridden.direction());
    assertFalse(overridden.isHold());
  }

  @Test
  void theAudioStreamIsTheFirstLiveOne() {
    String text = crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
        "m=video 5000 RTP/AVP 96", "a=sendonly",
        "m=audio 0 RTP/AVP 0", "a=inactive",
        "m=audio 4000 RTP/AVP 0 101", "a=rtpmap:101 telephone-event/8000", "a=sendrecv");
    SessionDescription sdp = parse(text);
    assertEquals(4000, sdp.firstAudio().orElseThrow().port());
    assertEquals(MediaDirection.SENDRECV, sdp.direction());
    assertEquals(Optional.of(101), sdp.telephoneEventPayloadType());
    assertEquals(text, sdp.format());
  }

  @Test
  void withDirectionReplacesEveryDirectionAttribute() {
    SessionDescription held = parse(BARESIP).withDirection(MediaDirection.SENDONLY);
    assertTrue(held.isHold());
    String text = held.format();
    assertEquals(BARESIP.replace("a=sendrecv", "a=sendonly"), text); // in place, nothing else moved
    for (MediaDescription m : held.media()) {
      assertEquals(Optional.of(MediaDirection.SENDONLY), m.direction());
    }
    // none before: appended at the end of each section; the session level gets none
    SessionDescription sipp = parse(SIPP).withDirection(MediaDirection.INACTIVE);
    assertEquals(SIPP + "a=inactive\r\n", sipp.format());
    // duplicates and a session-level attribute collapse to one per place
    SessionDescription messy = parse(SIPP.replace("t=0 0\r\n", "t=0 0\r\na=recvonly\r\n")
        + "a=sendonly\r\na=ptime:20\r\na=inactive\r\n").withDirection(MediaDirection.SENDRECV);
    assertEquals(SIPP.replace("t=0 0\r\n", "t=0 0\r\na=sendrecv\r\n") + "a=sendrecv\r\na=ptime:20\r\n",
        messy.format());
    // and back off hold
    assertFalse(held.withDirection(MediaDirection.SENDRECV).isHold());
    assertEquals(BARESIP, held.withDirection(MediaDirection.SENDRECV).format());
  }

  @Test
  void originVersionIncrements() {
    SessionDescription sdp = parse(SIPP).withOriginVersionIncremented();
    assertEquals("2353687638", sdp.origin().sessVersion());
    assertEquals(SIPP.replace("2353687637", "2353687638"), sdp.format());
    // beyond a long
    String big = SIPP.replace("2353687637", "18446744073709551615");
    assertEquals("18446744073709551616", parse(big).withOriginVersionIncremented().origin().sessVersion());
    assertEquals("10", parse(SIPP.replace("2353687637", "9")).withOriginVersionIncremented().origin().sessVersion());
    // only the version changes
    Origin before = parse(BARESIP).origin();
    Origin after = parse(BARESIP).withOriginVersionIncremented().origin();
    assertEquals(before.sessId(), after.sessId());
    assertEquals(before.address(), after.address());
  }

  @Test
  void answerDirections() {
    assertEquals(MediaDirection.RECVONLY, SessionDescription.answerDirectionFor(MediaDirection.SENDONLY));
    assertEquals(MediaDirection.SENDONLY, SessionDescription.answerDirectionFor(MediaDirection.RECVONLY));
    assertEquals(MediaDirection.INACTIVE, SessionDescription.answerDirectionFor(MediaDirection.INACTIVE));
    assertEquals(MediaDirection.SENDRECV, SessionDescription.answerDirectionFor(MediaDirection.SENDRECV));
  }

  @Test
  void telephoneEventMustBe8000HzAndOffered() {
    String base = crlf("v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0");
    assertEquals(Optional.of(110), parse(base + crlf("m=audio 4000 RTP/SAVPF 111 110 126",
        "a=rtpmap:111 opus/48000/2", "a=rtpmap:126 telephone-event/48000", "a=rtpmap:110 TELEPHONE-EVENT/8000"))
        .telephoneEventPayloadType());
    assertEquals(Optional.empty(), parse(base + crlf("m=audio 4000 RTP/AVP 0",
        "a=rtpmap:101 telephone-event/8000")).telephoneEventPayloadType()); // 101 is not offered
    assertEquals(Optional.empty(), parse(base + crlf("m=audio 4000 RTP/AVP 0 126",
        "a=rtpmap:126 telephone-event/48000")).telephoneEventPayloadType());
  }

  @Test
  void malformedDescriptionsAreRefused() {
    refused(null);
    refused("");
    refused("\r\n");
    refused(SIPP.replace("v=0\r\n", ""));                       // no v=
    refused(SIPP.replace("v=0", "v=1"));                         // wrong version
    refused("s=-\r\n" + SIPP);                                   // v= not first
    refused(SIPP.replace("o=user1 53655765 2353687637 IN IP4 127.0.1.1\r\n", "")); // no o=
    refused(SIPP.replace("s=-\r\n", ""));                       // no s=
    refused(SIPP.replace("s=-\r\n", "s=-\r\ns=again\r\n"));     // two s=
    refused(SIPP.replace("t=0 0", "o=- 1 1 IN IP4 192.0.2.1")); // two o=
    refused(SIPP.replace("2353687637 IN", "2353687637x IN"));   // non-numeric version
    refused(SIPP.replace(" IN IP4 127.0.1.1\r\ns", " IN IP4\r\ns")); // five o= fields
    refused(SIPP.replace("m=audio 6000 RTP/AVP 0", "m=audio 6000 RTP/AVP"));     // no format
    refused(SIPP.replace("m=audio 6000", "m=audio six"));                        // non-numeric port
    refused(SIPP.replace("m=audio 6000", "m=audio 65536"));                      // port out of range
    refused(SIPP.replace("m=audio 6000", "m=audio -1"));
    refused(SIPP.replace("m=audio 6000", "m=audio 6000/0"));                     // zero ports
    refused(SIPP.replace("m=audio 6000", "m=audio 6000/2/3"));
    refused(SIPP.replace("m=audio 6000", "m=audio 99999999999999999999"));
    refused(SIPP.replace("c=IN IP4 127.0.1.1", "c=IN IP4"));                     // bad c=
    refused(SIPP + "c=IN\r\n");
    refused(SIPP + "not a line\r\n");
    refused(SIPP + "A=upper\r\n");
    refused(SIPP + "a\r\n");
    refused(SIPP.replace("s=-", "s=a\rb"));                                      // lone CR
    refused(SIPP.replace("s=-", "s=a\u0000b"));                                  // NUL
    // too large, too many media sections
    refused(SIPP + ("a=x:" + "y".repeat(996) + "\r\n").repeat(66));
    StringBuilder many = new StringBuilder(SIPP);
    for (int i = 0; i < 64; i++) {
      many.append("m=audio ").append(7000 + i).append(" RTP/AVP 0\r\n");
    }
    refused(many.toString());
    assertTrue(SessionDescription.parse(many.substring(0, many.lastIndexOf("m=audio"))).isPresent()); // 64 is fine
    assertEquals(Optional.empty(), SessionDescription.parse(new byte[SessionDescription.MAX_OCTETS + 1]));
  }

  @Test
  void portZeroAndPortCountsParse() {
    SessionDescription sdp = parse(SIPP.replace("m=audio 6000", "m=audio 0") + "m=video 5000/2 RTP/AVP 31\r\n");
    assertEquals(0, sdp.media().get(0).port());
    assertEquals(2, sdp.media().get(1).numberOfPorts());
    assertEquals(5000, sdp.media().get(1).port());
  }

  @Test
  void multicastConnectionHostDropsTheTtl() {
    SessionDescription sdp = parse(SIPP.replace("c=IN IP4 127.0.1.1", "c=IN IP4 224.2.1.1/127/3"));
    assertEquals(Optional.of("224.2.1.1"), sdp.connectionAddress());
    assertEquals("224.2.1.1/127/3", sdp.connection().orElseThrow().address());
  }

  @Test
  void recordsRefuseInvalidLinesDirectly() {
    assertThrows(IllegalArgumentException.class, () -> new MediaDescription(List.of("a=sendrecv")));
    assertThrows(IllegalArgumentException.class, () -> new MediaDescription(List.of("m=audio 1 RTP/AVP 0", "m=x")));
    assertThrows(IllegalArgumentException.class,
        () -> new SessionDescription(List.of("v=0", "s=-"), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new Origin("-", "1", "x", "IN", "IP4", "192.0.2.1"));
  }
}
