package io.switchboard.sip.transport;

import io.switchboard.sip.message.SipParseResult;

/**
 * What a decoder passes up the pipeline: the parse result of one message, and for a malformed one
 * the raw octets (at most {@link SipStreamDecoder#MAX_BUFFERED_BYTES}) from which the transport
 * salvages the headers of its error response.
 */
record Inbound(SipParseResult result, byte[] raw) {
  static final byte[] NO_BYTES = new byte[0];
}
