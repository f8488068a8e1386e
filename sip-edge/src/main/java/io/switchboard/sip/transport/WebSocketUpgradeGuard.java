package io.switchboard.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets only a SIP WebSocket handshake through to Netty's handshaker: a GET upgrade to path "/"
 * offering the "sip" subprotocol (RFC 7118 §4: the client MUST offer it, and a server that does
 * not agree must not complete a SIP WebSocket). Anything else gets an HTTP error and is closed,
 * since Netty's handshaker alone would accept a handshake without the subprotocol.
 */
final class WebSocketUpgradeGuard extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgradeGuard.class);

  /** The only path SIP WebSocket clients may connect to. */
  static final String PATH = "/";

  /** The WebSocket subprotocol of RFC 7118 §4 (IANA "WebSocket Subprotocol Name Registry"). */
  static final String SUBPROTOCOL = "sip";

  WebSocketUpgradeGuard() {
    super(false); // a request that passes is handed on, not released here
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpResponseStatus refusal = null;
    String why = "";
    if (!request.method().equals(HttpMethod.GET)
        || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      refusal = HttpResponseStatus.UPGRADE_REQUIRED;
      why = "SIP over WebSocket only (RFC 7118): send a WebSocket upgrade";
    } else if (!PATH.equals(new QueryStringDecoder(request.uri()).path())) {
      refusal = HttpResponseStatus.NOT_FOUND;
      why = "SIP WebSocket path is " + PATH;
    } else if (!offersSip(request)) {
      refusal = HttpResponseStatus.BAD_REQUEST;
      why = "Sec-WebSocket-Protocol must offer \"" + SUBPROTOCOL + "\" (RFC 7118 section 4)";
    }
    if (refusal == null) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(request);
      return;
    }
    log.debug("Refused WebSocket handshake from {} for {}: {}", ctx.channel().remoteAddress(), request.uri(), why);
    request.release();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal,
        Unpooled.copiedBuffer(why + "\r\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static boolean offersSip(FullHttpRequest request) {
    for (String value : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String offered : value.split(",")) {
        if (offered.strip().equals(SUBPROTOCOL)) {
          return true;
        }
      }
    }
    return false;
  }
}
