package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.sip.message.SipLimits;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParseResult;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stream framing state machine, octet by octet, without sockets. */
class SipStreamDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());

  private void write(String s) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(s)));
  }

  private SipParseResult next() {
    Inbound in = channel.readInbound();
    return in == null ? null : in.result();
  }

  private String pongs() {
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      out.append(new String(ByteBufUtil.getBytes(b), java.nio.charset.StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  @Test
  void aPingIsAnsweredEvenWhenItArrivesOctetByOctet() {
    for (char c : "\r\n\r\n".toCharArray()) {
      assertEquals("", pongs());
      write(String.valueOf(c));
    }
    assertEquals("\r\n", pongs());
    assertNull(next());
  }

  @Test
  void loneCrlfsBetweenMessagesAreSkippedAndPingsAnswered() {
    write("\r\n" + options("m1", "1") + "\r\n\r\n" + options("m2", "2") + "\r\n");
    assertEquals("m1", SipMessages.callId(assertInstanceOf(SipParseResult.Parsed.class, next()).message()));
    assertEquals("m2", SipMessages.callId(assertInstanceOf(SipParseResult.Parsed.class, next()).message()));
    assertNull(next());
    assertEquals("\r\n", pongs(), "one CRLFCRLF, one pong; the trailing CRLF waits (it may become a ping)");
    write("\r\n");
    assertEquals("\r\n", pongs());
  }

  @Test
  void aMessageOctetByOctetIsOneMessage() {
    String m = options("slow", "s");
    for (char c : m.toCharArray()) {
      assertNull(next());
      write(String.valueOf(c));
    }
    assertEquals("slow", SipMessages.callId(assertInstanceOf(SipParseResult.Parsed.class, next()).message()));
    assertNull(next());
  }

  @Test
  void afterAMalformedMessageEverythingIsDiscarded() {
    write("INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;;\r\n\r\n" + options("lost", "l"));
    SipParseResult.Malformed malformed = assertInstanceOf(SipParseResult.Malformed.class, next());
    assertEquals(400, malformed.statusToSend());
    write(options("also-lost", "a"));
    write("\r\n\r\n");
    assertNull(next());
    assertEquals("", pongs(), "no pong once framing is lost");
  }

  @Test
  void theRawOctetsOfAMalformedMessageAreKeptForTheAnswer() {
    String bad = "OPTIONS sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n";
    write(bad);
    Inbound in = channel.readInbound();
    assertInstanceOf(SipParseResult.Malformed.class, in.result());
    assertArrayEquals(bytes(bad), in.raw());
  }

  @Test
  void anEndlessHeaderSectionIsCutAtTheLimit() {
    // Folded lines stay under the line limit; the header section grows past MAX_MESSAGE_SIZE.
    write("OPTIONS sip:x SIP/2.0\r\nSubject: a\r\n");
    String fold = " " + "b".repeat(1000) + "\r\n";
    SipParseResult result = null;
    for (int i = 0; i < 80 && result == null; i++) {
      write(fold);
      result = next();
    }
    SipParseResult.Malformed malformed = assertInstanceOf(SipParseResult.Malformed.class, result);
    assertEquals(513, malformed.statusToSend());
    Inbound none = channel.readInbound();
    assertNull(none);
    assertFalse(channel.finish());
  }

  @Test
  void theBoundIsTheMessageLimitPlusSlack() {
    assertEquals(SipLimits.MAX_MESSAGE_SIZE + SipStreamDecoder.BUFFER_SLACK_BYTES, SipStreamDecoder.MAX_BUFFERED_BYTES);
    byte[] raw = new byte[SipStreamDecoder.MAX_BUFFERED_BYTES + 5000];
    Arrays.fill(raw, (byte) 'a');
    channel.writeInbound(Unpooled.wrappedBuffer(raw));
    Inbound in = channel.readInbound();
    assertInstanceOf(SipParseResult.Malformed.class, in.result());
    assertEquals(SipStreamDecoder.MAX_BUFFERED_BYTES, in.raw().length);
  }
}
