package io.switchboard.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.switchboard.sip.message.SipLimits;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.NeedMoreBytes;
import io.switchboard.sip.message.SipParseResult.Parsed;
import io.switchboard.sip.message.SipParser;
import java.util.List;

/**
 * Frames SIP messages on a stream (TCP, TLS) as a small state machine over the cumulated octets:
 *
 * <ol>
 *   <li>Between messages, a CRLFCRLF is an RFC 5626 §4.4.1 keep-alive "ping" and is answered
 *       with a CRLF "pong"; a lone CRLF is skipped (RFC 3261 §7.5).
 *   <li>Otherwise the buffered octets (at most {@link #MAX_BUFFERED_BYTES}) go to {@link
 *       SipParser#parseStream}: {@link NeedMoreBytes} waits for the next read, {@link Parsed}
 *       emits the message and consumes exactly its octets (the rest starts the next message).
 *   <li>{@link Malformed}: framing is lost (RFC 3261 §18.3), so the result is emitted with the raw
 *       octets for an error response, and every later octet is discarded until the connection is
 *       closed by the handler after that response.
 * </ol>
 *
 * <p>Bounds: the parser refuses any message over {@link SipLimits#MAX_MESSAGE_SIZE} (413/513), so
 * a complete message never needs more than that; the cumulation holds at most one partial message
 * plus one socket read.
 */
final class SipStreamDecoder extends ByteToMessageDecoder {

  /**
   * Slack above {@link SipLimits#MAX_MESSAGE_SIZE} handed to the parser, so that it sees octets
   * past the limit and answers 513 itself rather than waiting for more.
   */
  static final int BUFFER_SLACK_BYTES = 1024;

  /** Most octets of one message the decoder looks at (and holds) at once. */
  static final int MAX_BUFFERED_BYTES = SipLimits.MAX_MESSAGE_SIZE + BUFFER_SLACK_BYTES;

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] PONG = {CR, LF};

  private boolean framingLost;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (framingLost) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!skipKeepAlives(ctx, in) || !in.isReadable()) {
      return;
    }
    int length = Math.min(in.readableBytes(), MAX_BUFFERED_BYTES);
    byte[] buffered = new byte[length];
    in.getBytes(in.readerIndex(), buffered);
    // Re-parsing the buffered prefix on every read is quadratic in the number of reads a message
    // takes, but bounded by MAX_BUFFERED_BYTES; SIP messages mostly arrive in one or two reads.
    SipParseResult result = SipParser.parseStream(buffered);
    if (result instanceof Parsed parsed) {
      in.skipBytes(length - parsed.trailingBytes().length);
      out.add(new Inbound(parsed, Inbound.NO_BYTES));
    } else if (result instanceof Malformed malformed) {
      lose(in, out, malformed, buffered);
    } else if (length >= MAX_BUFFERED_BYTES) {
      // Cannot happen while the parser enforces MAX_MESSAGE_SIZE; bound the buffer regardless.
      lose(in, out, new Malformed(513, "message exceeds " + SipLimits.MAX_MESSAGE_SIZE + " octets"), buffered);
    }
  }

  private void lose(ByteBuf in, List<Object> out, Malformed malformed, byte[] buffered) {
    framingLost = true;
    in.skipBytes(in.readableBytes());
    out.add(new Inbound(malformed, buffered));
  }

  /**
   * Consumes the keep-alives at the start of {@code in}, answering each CRLFCRLF with CRLF.
   * Returns false when what is left may still become a ping (a CRLF, or CRLF CR) and the decoder
   * must wait for more octets.
   */
  private static boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
    while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == CR && in.getByte(in.readerIndex() + 1) == LF) {
      int readable = in.readableBytes();
      int at = in.readerIndex();
      if (readable >= 4 && in.getByte(at + 2) == CR && in.getByte(at + 3) == LF) {
        in.skipBytes(4);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG)); // RFC 5626 §4.4.1: pong
      } else if (readable == 2 || (readable == 3 && in.getByte(at + 2) == CR)) {
        return false;
      } else {
        in.skipBytes(2);
      }
    }
    return !(in.readableBytes() == 1 && in.getByte(in.readerIndex()) == CR);
  }
}
