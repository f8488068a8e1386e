package io.switchboard.sip.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.sip.message.SipParser;
import java.util.List;

/**
 * RFC 7118 §5: each WebSocket message (text or binary, reassembled from its frames upstream)
 * carries exactly one SIP message, so it is parsed like a datagram and Content-Length is optional.
 * A malformed message does not lose the framing, so the connection stays open.
 *
 * <p>Some SIP.js/JsSIP versions send the RFC 5626 CRLFCRLF keep-alive as a WebSocket message;
 * it is answered with a CRLF message, and other whitespace-only messages are ignored.
 */
final class SipWebSocketDecoder extends MessageToMessageDecoder<WebSocketFrame> {

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
      out.add(frame.retain()); // ping, pong, close: Netty's protocol handler deals with them
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame.content());
    if (KeepAlives.isWhitespace(bytes)) {
      if (KeepAlives.isPing(bytes)) {
        ctx.writeAndFlush(new TextWebSocketFrame("\r\n"));
      }
      return;
    }
    out.add(new Inbound(SipParser.parse(bytes), bytes));
  }
}
