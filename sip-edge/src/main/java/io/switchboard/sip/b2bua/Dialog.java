package io.switchboard.sip.b2bua;

import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipBody;
import io.switchboard.sip.message.Via;
import io.switchboard.sip.transport.Flow;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A SIP dialog as one side of the B2BUA holds it (RFC 3261 §12): its id (Call-ID, local and remote
 * tags), the local and remote URIs, the remote target, the route set and the CSeq counters.
 * Immutable; the leg that owns it replaces it as the dialog moves on.
 *
 * <p>{@code flow} is where in-dialog requests go: the flow the dialog was made on. Sending back
 * along it, rather than resolving the remote target, is what reaches a phone behind NAT and reuses
 * its TCP/TLS/WebSocket connection (RFC 5626 §5.3 does the same for registered flows).
 */
public record Dialog(String callId, String localTag, Optional<String> remoteTag, NameAddress localUri,
                     NameAddress remoteUri, String remoteTarget, List<String> routeSet, long localSeq,
                     OptionalLong remoteSeq, Flow flow) {

  public Dialog {
    routeSet = List.copyOf(routeSet);
  }

  public Dialog withRemoteTag(String tag) {
    return new Dialog(callId, localTag, Optional.of(tag), localUri, remoteUri, remoteTarget, routeSet, localSeq,
        remoteSeq, flow);
  }

  public Dialog withRemoteTarget(String target) {
    return new Dialog(callId, localTag, remoteTag, localUri, remoteUri, target, routeSet, localSeq, remoteSeq, flow);
  }

  public Dialog withRouteSet(List<String> routes) {
    return new Dialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routes, localSeq, remoteSeq,
        flow);
  }

  public Dialog withRemoteSeq(long seq) {
    return new Dialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, localSeq,
        OptionalLong.of(seq), flow);
  }

  /** The next local CSeq, for a new request in this dialog. */
  public Dialog nextLocalSeq() {
    return new Dialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, localSeq + 1,
        remoteSeq, flow);
  }

  /**
   * A request inside the dialog (§12.2.1.1) with CSeq {@code seq}: Request-URI the remote target,
   * Route the route set (loose routing, RFC 3261 §16.12), From/To our and their URIs with tags.
   */
  public SipRequest request(String method, long seq, String branch, String contact) {
    SipHeaders h = SipHeaders.of();
    Via via = new Via(flow.transport().viaName(), SipAddresses.hostPort(flow.local()),
        java.util.Map.of("branch", branch, "rport", ""));
    h = h.plus(SipHeaderNames.VIA, via.toString())
        .plus(SipHeaderNames.MAX_FORWARDS, "70");
    for (String route : routeSet) {
      h = h.plus(SipHeaderNames.ROUTE, route);
    }
    NameAddress to = remoteTag.map(remoteUri::withTag).orElse(remoteUri);
    h = h.plus(SipHeaderNames.FROM, localUri.withTag(localTag).toString())
        .plus(SipHeaderNames.TO, to.toString())
        .plus(SipHeaderNames.CALL_ID, callId)
        .plus(SipHeaderNames.CSEQ, seq + " " + method);
    if (!method.equals("ACK") && !method.equals("CANCEL")) {
      h = h.plus(SipHeaderNames.CONTACT, contact);
    }
    return new SipRequest(method, remoteTarget, "SIP/2.0", h.plus("User-Agent", SipAddresses.USER_AGENT), SipBody.EMPTY);
  }
}
