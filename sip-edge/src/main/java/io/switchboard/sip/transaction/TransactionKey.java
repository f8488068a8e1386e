package io.switchboard.sip.transaction;

import io.switchboard.sip.message.CSeq;
import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.Via;
import java.util.Locale;
import java.util.Optional;

/** What the transaction table is keyed by: one shape per matching rule of RFC 3261 §17.1.3 and §17.2.3. */
sealed interface TransactionKey {

  /**
   * §17.2.3, requests whose top Via branch carries the magic cookie: branch, sent-by and method,
   * ACK counting as INVITE. The branch is compared case-insensitively, as parameter values are
   * unless stated otherwise (§7.3.1); so is the host of sent-by (§19.1.4). A port that is absent
   * differs from one that is present, as in URI comparison.
   */
  record Server(String branch, String sentBy, String method) implements TransactionKey {}

  /**
   * §17.2.3, RFC 2543 requests (no magic cookie): Request-URI, To tag, From tag, Call-ID, CSeq and
   * top Via, with the CSeq method of an ACK counted as INVITE (an ACK's To tag is that of the
   * response, so ACKs are looked up separately; see {@link TransactionLayer}).
   */
  record Legacy(String requestUri, String toTag, String fromTag, String callId, long cseq, String method, Via topVia)
      implements TransactionKey {}

  /** §17.1.3: the top Via branch of the response and the CSeq method. */
  record Client(String branch, String method) implements TransactionKey {}

  /** The server key of {@code request}, with {@code method} in place of its own (INVITE for ACK and CANCEL lookups). */
  static Optional<TransactionKey> server(SipRequest request, String method) {
    Optional<Via> via = SipMessages.topVia(request);
    Optional<CSeq> cseq = SipMessages.cseq(request);
    if (via.isEmpty() || cseq.isEmpty()) {
      return Optional.empty();
    }
    if (via.get().hasMagicCookie()) {
      return Optional.of(new Server(lower(via.get().branch()), sentBy(via.get()), method));
    }
    return Optional.of(legacy(request, via.get(), cseq.get(), tag(SipMessages.to(request)), method));
  }

  /** The RFC 2543 key of {@code request} with a given To tag (see {@link Legacy}). */
  static Legacy legacy(SipRequest request, Via topVia, CSeq cseq, String toTag, String method) {
    return new Legacy(request.requestUri(), toTag, tag(SipMessages.from(request)), SipMessages.callId(request),
        cseq.number(), method, topVia);
  }

  static Optional<Client> client(SipMessage message) {
    Optional<Via> via = SipMessages.topVia(message);
    Optional<CSeq> cseq = SipMessages.cseq(message);
    if (via.isEmpty() || cseq.isEmpty() || via.get().branch().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Client(lower(via.get().branch()), cseq.get().method()));
  }

  static String tag(Optional<NameAddress> address) {
    return address.flatMap(NameAddress::tag).orElse("");
  }

  private static String sentBy(Via via) {
    return lower(via.sentBy().toString());
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
