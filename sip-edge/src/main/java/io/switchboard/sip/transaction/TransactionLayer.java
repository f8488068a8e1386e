package io.switchboard.sip.transaction;

import io.switchboard.sip.message.CSeq;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.Via;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipSender;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP transaction layer (RFC 3261 §17, with the RFC 6026 corrections): matches incoming
 * messages to transactions, creates server transactions for new requests, runs client
 * transactions for the TU's requests, and owns their timers.
 *
 * <p>Thread-safe: transports call {@link #onMessage} from several event loops and timers fire on
 * their own thread. The table is a {@link ConcurrentHashMap}; each transaction guards its state
 * with its own small lock and calls the user and the sender only after releasing it, in the order
 * its state machine decided. Transactions leave the table when they reach Terminated.
 *
 * <p>Memory is bounded: at most {@code maxTransactions} live transactions (client and server). A new
 * request beyond that is answered statelessly with 503 and Retry-After (RFC 3261 §21.5.4), and a
 * request the TU sends beyond it fails at once with a transport error, which the TU treats as 503.
 */
public final class TransactionLayer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final String RETRY_AFTER_SECONDS = "5";

  private final SipSender sender;
  private final TransactionUser user;
  private final int maxTransactions;
  private final Transaction.Shared shared;
  private final ConcurrentHashMap<TransactionKey, Transaction> table = new ConcurrentHashMap<>();
  /** Live transactions plus slots reserved by a creation in progress; never above maxTransactions. */
  private final AtomicInteger live = new AtomicInteger();
  private volatile boolean closed;

  public TransactionLayer(SipSender sender, TransactionTimers timers, TimerSettings settings, TransactionUser user,
                          int maxTransactions) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.user = Objects.requireNonNull(user, "user");
    if (maxTransactions <= 0) {
      throw new IllegalArgumentException("maxTransactions must be positive, was " + maxTransactions);
    }
    this.maxTransactions = maxTransactions;
    this.shared = new Transaction.Shared(sender, Objects.requireNonNull(timers, "timers"),
        Objects.requireNonNull(settings, "settings"), this::remove);
  }

  /**
   * A branch for a new client transaction (§8.1.1.7): the magic cookie and 128 random bits from a
   * {@link SecureRandom}, so that branches are unique across space and time and cannot be guessed
   * (a guessable branch would let anyone inject a matching response).
   */
  public static String newBranch() {
    return Via.MAGIC_COOKIE + randomHex(16);
  }

  // ---------------------------------------------------------------- incoming

  /** A validated message from a transport. Never throws for a message it cannot match; drops it with a debug log. */
  public void onMessage(SipMessage message, Flow flow) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(flow, "flow");
    if (closed) {
      LOG.debug("closed: dropping a message from {}", flow);
      return;
    }
    if (message instanceof SipRequest request) {
      if (request.method().equals("ACK")) {
        onAck(request, flow);
      } else {
        onRequest(request, flow);
      }
    } else {
      onResponse((SipResponse) message, flow);
    }
  }

  private void onRequest(SipRequest request, Flow flow) {
    Optional<TransactionKey> key = TransactionKey.server(request, request.method());
    if (key.isEmpty()) {
      LOG.debug("dropping a {} from {} without a usable top Via or CSeq", request.method(), flow);
      return;
    }
    if (retransmitted(key.get())) {
      return;
    }
    if (!reserve()) {
      rejectOverloaded(request, flow);
      return;
    }
    Transaction tx = request.method().equals("INVITE")
        ? new InviteServerTransaction(shared, key.get(), request, flow)
        : new NonInviteServerTransaction(shared, key.get(), request, flow);
    if (table.putIfAbsent(key.get(), tx) != null) {
      // Another thread created it from a copy that arrived at the same moment: ours is a retransmission.
      live.decrementAndGet();
      retransmitted(key.get());
      return;
    }
    LOG.debug("{}: new from {}", tx, flow);
    if (tx instanceof InviteServerTransaction invite) {
      invite.start();
    }
    try {
      user.onRequest((ServerTransaction) tx, request);
    } catch (RuntimeException e) {
      LOG.warn("transaction user failed on a {} request", request.method(), e);
    }
  }

  /** True if {@code key} is a live server transaction, which then handles the retransmission. */
  private boolean retransmitted(TransactionKey key) {
    Transaction existing = table.get(key);
    if (existing != null && existing.isTerminated()) {
      // Terminated but its removal not yet run: as far as matching goes it is gone (§17.2.3).
      remove(existing);
      return false;
    }
    if (existing instanceof InviteServerTransaction invite) {
      invite.onRetransmission();
      return true;
    }
    if (existing instanceof NonInviteServerTransaction nonInvite) {
      nonInvite.onRetransmission();
      return true;
    }
    return false;
  }

  /**
   * §17.2.3: an ACK matches the INVITE server transaction of the response it acknowledges. For a
   * non-2xx that transaction absorbs it; the ACK for a 2xx has its own branch (or finds the
   * transaction in Accepted) and belongs to the dialog: it goes to the TU.
   */
  private void onAck(SipRequest ack, Flow flow) {
    Optional<InviteServerTransaction> tx = inviteTransactionForAck(ack);
    if (tx.isPresent() && tx.get().onAck()) {
      return;
    }
    try {
      user.onAck(ack, flow);
    } catch (RuntimeException e) {
      LOG.warn("transaction user failed on an ACK", e);
    }
  }

  private Optional<InviteServerTransaction> inviteTransactionForAck(SipRequest ack) {
    Optional<Via> via = SipMessages.topVia(ack);
    Optional<CSeq> cseq = SipMessages.cseq(ack);
    if (via.isEmpty() || cseq.isEmpty()) {
      return Optional.empty();
    }
    if (via.get().hasMagicCookie()) {
      return TransactionKey.server(ack, "INVITE").flatMap(this::inviteServer);
    }
    // RFC 2543 (§17.2.3): the ACK's To tag is the one of the response, while the INVITE carried
    // none (initial INVITE) or that same tag (re-INVITE). Try both keys, then require that the
    // response the transaction sent had the ACK's To tag.
    String ackToTag = TransactionKey.tag(SipMessages.to(ack));
    for (String inviteToTag : ackToTag.isEmpty() ? new String[] {""} : new String[] {ackToTag, ""}) {
      Optional<InviteServerTransaction> tx =
          inviteServer(TransactionKey.legacy(ack, via.get(), cseq.get(), inviteToTag, "INVITE"));
      if (tx.isPresent() && tx.get().finalToTag().equals(ackToTag)) {
        return tx;
      }
    }
    return Optional.empty();
  }

  private Optional<InviteServerTransaction> inviteServer(TransactionKey key) {
    return table.get(key) instanceof InviteServerTransaction tx && !tx.isTerminated() ? Optional.of(tx) : Optional.empty();
  }

  /** §17.1.3: top Via branch and CSeq method; no match (or a Terminated one) goes to the TU as stray. */
  private void onResponse(SipResponse response, Flow flow) {
    Optional<TransactionKey.Client> key = TransactionKey.client(response);
    Transaction tx = key.isEmpty() ? null : table.get(key.get());
    boolean handled = tx instanceof InviteClientTransaction invite ? invite.onResponse(response)
        : tx instanceof NonInviteClientTransaction nonInvite && nonInvite.onResponse(response);
    if (handled) {
      return;
    }
    LOG.debug("stray {} response from {}", response.status(), flow);
    try {
      user.onStrayResponse(response, flow);
    } catch (RuntimeException e) {
      LOG.warn("transaction user failed on a stray response", e);
    }
  }

  /**
   * Over the limit: answer 503 with Retry-After without creating any state (RFC 3261 §21.5.4).
   * The response gets a To tag as §8.2.6.2 requires. If it was an INVITE, its ACK will match
   * nothing and reach {@link TransactionUser#onAck}, which drops ACKs of no dialog.
   */
  private void rejectOverloaded(SipRequest request, Flow flow) {
    LOG.debug("{} live transactions: rejecting a {} from {} with 503", maxTransactions, request.method(), flow);
    SipResponse busy = SipMessages.withToTag(SipMessages.response(request, 503), randomHex(8));
    busy = busy.withHeaders(busy.headers().plus("Retry-After", RETRY_AFTER_SECONDS));
    try {
      sender.send(busy, flow).whenComplete((ok, error) -> {
        if (error != null) {
          LOG.debug("could not send 503 to {}: {}", flow, error.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("could not send 503 to {}: {}", flow, e.toString());
    }
  }

  // ---------------------------------------------------------------- outgoing

  /**
   * Starts a client transaction (§17.1) and sends {@code request} on {@code flow}. The request must
   * carry a top Via whose branch has the magic cookie and is not in use by another live transaction
   * of the same method (see {@link #newBranch()}), and a CSeq naming its method. ACK is never sent
   * through a transaction: the transaction ACKs non-2xx itself and the TU sends ACKs for 2xx
   * directly (§17.1.1.3, §13.2.2.4).
   *
   * <p>The listener may be called before this method returns (a send that fails at once).
   *
   * @throws IllegalArgumentException for an ACK, a missing or cookie-less branch, a CSeq that does not
   *     match the method, or a branch already in use
   * @throws IllegalStateException after {@link #close()}
   */
  public ClientTransaction sendRequest(SipRequest request, Flow flow, ClientTransactionListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException("transaction layer closed");
    }
    TransactionKey.Client key = clientKey(request);
    if (!reserve()) {
      // Bounded memory for our own requests too; §17.1.4 makes a transport error a 503 for the TU.
      LOG.debug("{} live transactions: failing a {} to {}", maxTransactions, request.method(), flow);
      NonInviteClientTransaction refused = new NonInviteClientTransaction(shared, key, request, flow, listener);
      refused.abort();
      listener.onTransportError(new IllegalStateException("too many SIP transactions (" + maxTransactions + ")"));
      return refused;
    }
    boolean invite = request.method().equals("INVITE");
    Transaction tx = invite ? new InviteClientTransaction(shared, key, request, flow, listener)
        : new NonInviteClientTransaction(shared, key, request, flow, listener);
    if (table.putIfAbsent(key, tx) != null) {
      live.decrementAndGet();
      throw new IllegalArgumentException("branch already in use by a live " + key.method() + " transaction: " + key.branch());
    }
    LOG.debug("{}: new to {}", tx, flow);
    if (tx instanceof InviteClientTransaction inviteTx) {
      inviteTx.start();
    } else {
      ((NonInviteClientTransaction) tx).start();
    }
    return (ClientTransaction) tx;
  }

  private static TransactionKey.Client clientKey(SipRequest request) {
    if (request.method().equals("ACK")) {
      throw new IllegalArgumentException("ACK is not sent in a client transaction (RFC 3261 §17.1)");
    }
    Via via = SipMessages.topVia(request)
        .orElseThrow(() -> new IllegalArgumentException("request has no parsable top Via"));
    if (!via.hasMagicCookie() || via.branch().length() <= Via.MAGIC_COOKIE.length()) {
      throw new IllegalArgumentException("top Via branch lacks the magic cookie (RFC 3261 §8.1.1.7): " + via.branch());
    }
    CSeq cseq = SipMessages.cseq(request).orElseThrow(() -> new IllegalArgumentException("request has no CSeq"));
    if (!cseq.method().equals(request.method())) {
      throw new IllegalArgumentException("CSeq method " + cseq.method() + " differs from " + request.method());
    }
    return TransactionKey.client(request).orElseThrow();
  }

  // ---------------------------------------------------------------- queries

  /**
   * The INVITE server transaction a CANCEL cancels (§9.2): the one the §17.2.3 matching rules find
   * for the CANCEL with its method taken as INVITE. The same works for RFC 2543 CANCELs, whose
   * Request-URI, To, From, Call-ID, CSeq number and Via equal the INVITE's (§9.1). Empty if there
   * is none or it has terminated; whether it may still be cancelled ({@link ServerTransaction#isFinal()})
   * is the TU's decision.
   */
  public Optional<ServerTransaction> findInviteServerTransaction(SipRequest cancel) {
    Objects.requireNonNull(cancel, "cancel");
    return TransactionKey.server(cancel, "INVITE").flatMap(this::inviteServer).map(tx -> tx);
  }

  /** Live transactions, client and server. */
  public int size() {
    return live.get();
  }

  /** Terminates every transaction without telling anyone and cancels their timers; later messages are dropped. */
  @Override
  public void close() {
    closed = true;
    for (Transaction tx : table.values()) {
      tx.abort();
      remove(tx);
    }
  }

  // ---------------------------------------------------------------- table

  private boolean reserve() {
    while (true) {
      int n = live.get();
      if (n >= maxTransactions) {
        return false;
      }
      if (live.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void remove(Transaction tx) {
    if (table.remove(tx.key(), tx)) {
      live.decrementAndGet();
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HEX.formatHex(b);
  }

  @Override
  public String toString() {
    return "TransactionLayer[" + live.get() + "/" + maxTransactions + (closed ? ", closed" : "") + "]";
  }
}
