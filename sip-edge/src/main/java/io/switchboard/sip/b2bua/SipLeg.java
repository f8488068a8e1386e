package io.switchboard.sip.b2bua;

import io.switchboard.call.Call;
import io.switchboard.call.CallCommand;
import io.switchboard.call.HangupCause;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.sip.message.CSeq;
import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipUri;
import io.switchboard.sip.sdp.MediaDirection;
import io.switchboard.sip.sdp.SessionDescription;
import io.switchboard.sip.transaction.ClientTransactionListener;
import io.switchboard.sip.transaction.ServerTransaction;
import io.switchboard.sip.transaction.TransactionLayer;
import io.switchboard.sip.transaction.TwoXxRetransmitter;
import io.switchboard.sip.transport.Flow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * One SIP dialog of the B2BUA, as one leg of a Call entity: the caller's INVITE we answer (inbound,
 * we are the UAS) or the INVITE we send to a device (outbound, we are the UAC). It maps the Leg
 * protocol to SIP and SIP back to {@link CallCommand.LegReport}s.
 *
 * <p>An actor per dialog, never per packet: it sees a handful of messages per call. Its state is
 * confined to the actor; SIP wire objects never leave the edge. Reports to the Call go one at a time
 * and are retried until acknowledged, so they arrive in order and at least once (the Call's
 * handlers are idempotent), also while the Call is restarting on another node.
 */
public final class SipLeg extends AbstractBehavior<SipLeg.Msg> {

  /** How long a finished leg keeps answering retransmissions of its last exchanges (64*T1). */
  static final Duration LINGER = Duration.ofSeconds(32);
  /** Attempts to deliver one report to the Call before giving up on it. */
  static final int REPORT_ATTEMPTS = 8;
  /** Reports waiting for delivery; a leg produces a few per call, so more means a stuck Call. */
  static final int MAX_QUEUED_REPORTS = 32;

  /** Messages of the leg actor: local only, from the gateway, transport threads and itself. */
  public sealed interface Msg extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  record FromCall(LegCommand command) implements Msg {}

  /** A request inside our dialog (BYE, re-INVITE, REFER, INFO, OPTIONS, UPDATE...) or the CANCEL of our INVITE. */
  record InDialog(ServerTransaction tx, SipRequest request) implements Msg {}

  record Cancelled() implements Msg {}

  record AckReceived(SipRequest ack) implements Msg {}

  record Response(Purpose purpose, SipResponse response) implements Msg {}

  record RequestFailed(Purpose purpose, int status) implements Msg {}

  record NoAck() implements Msg {}

  /** The Call's answer to a report: acknowledged, refused (an error reply), or no answer in time. */
  record Reported(boolean delivered, boolean timedOut, Optional<String> error) implements Msg {}

  record RetryReport() implements Msg {}

  record Originated(Optional<String> error, boolean timedOut) implements Msg {}

  record RetryOriginate() implements Msg {}

  record Stop() implements Msg {}

  record LateAnswerTimeout() implements Msg {}

  record RetryReinvite() implements Msg {}

  /** What a client transaction of this leg was for. */
  enum Purpose { INVITE, REINVITE, BYE, CANCEL, OTHER }

  enum Role { INBOUND, OUTBOUND }

  enum Phase { SETUP, EARLY, CONFIRMED, ENDED }

  private final SipEdgeContext edge;
  private final TimerScheduler<Msg> timers;
  private final Role role;
  private final String legId;
  private String callId;
  private Phase phase = Phase.SETUP;
  private Optional<Dialog> dialog = Optional.empty();
  /** Inbound: the caller's INVITE, answered through its server transaction. */
  private Optional<ServerTransaction> inviteTx = Optional.empty();
  /** Outbound: the INVITE we sent (CANCEL and the 2xx ACK are built from it). */
  private Optional<SipRequest> invite = Optional.empty();
  private boolean provisionalReceived;
  private boolean cancelWanted;
  private Optional<HangupCause> cancelCause = Optional.empty();
  private Optional<TwoXxRetransmitter> twoXx = Optional.empty();
  /** The description we last sent on this dialog, and the one the peer last sent. */
  private Optional<String> localSdp = Optional.empty();
  private Optional<String> remoteSdp = Optional.empty();
  private boolean remoteHeld;
  private boolean reinviteInProgress;
  /** The media change asked for while a re-INVITE was in progress (the latest wins), sent after it. */
  private Optional<java.util.function.Supplier<Optional<SessionDescription>>> pendingMedia = Optional.empty();
  /** The media change of the re-INVITE in progress, to try again after a 491 (§14.1). */
  private Optional<java.util.function.Supplier<Optional<SessionDescription>>> currentMedia = Optional.empty();
  /** Inbound: the INVITE had no offer, so the caller's ACK carries the answer (RFC 3264 §5, late offer). */
  private boolean lateOffer;
  /** Outbound late offer: the callee's 2xx (its offer), not ACKed until the caller's answer arrives. */
  private Optional<SipResponse> ackAwaitingAnswer = Optional.empty();
  private final Deque<Function<ActorRef<StatusReply<Done>>, CallCommand>> reports = new ArrayDeque<>();
  private boolean reportInFlight;
  private int reportAttempt;
  /** Inbound: how this leg's Call is started; retried on silence (Originate is idempotent per leg). */
  private Optional<Function<ActorRef<StatusReply<CallCommand.CallInfo>>, CallCommand.Originate>> originate =
      Optional.empty();
  private int originateAttempt;

  private SipLeg(ActorContext<Msg> context, TimerScheduler<Msg> timers, SipEdgeContext edge, Role role, String callId,
                 String legId) {
    super(context);
    this.timers = timers;
    this.edge = edge;
    this.role = role;
    this.callId = callId;
    this.legId = legId;
    // Registered before any command can come: the gateway finds the leg by its id.
    edge.dialogs().putLeg(legId, context.getSelf());
  }

  // --- creation ---

  /**
   * The caller's side: we answer {@code request} (an initial INVITE) and start the Call with it.
   * {@code originate} builds the Call's Originate for this leg.
   */
  static Behavior<Msg> inbound(SipEdgeContext edge, String callId, String legId, ServerTransaction tx,
                               SipRequest request, ActorRef<LegCommand> gateway,
                               Function<ActorRef<StatusReply<CallCommand.CallInfo>>, CallCommand.Originate> originate) {
    return Behaviors.withMdc(Msg.class, java.util.Map.of("callId", callId, "legId", legId),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
          SipLeg leg = new SipLeg(ctx, timers, edge, Role.INBOUND, callId, legId);
          leg.acceptInvite(tx, request, originate);
          return leg;
        })));
  }

  /** The callee's side: we send an INVITE to the device the Call offers this leg to. */
  static Behavior<Msg> outbound(SipEdgeContext edge, LegCommand.OfferLeg offer, Optional<Flow> flow) {
    return Behaviors.withMdc(Msg.class, java.util.Map.of("callId", offer.callId(), "legId", offer.legId()),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
          SipLeg leg = new SipLeg(ctx, timers, edge, Role.OUTBOUND, offer.callId(), offer.legId());
          leg.sendInvite(offer, flow);
          return leg;
        })));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromCall.class, m -> onCommand(m.command()))
        .onMessage(InDialog.class, this::onInDialog)
        .onMessage(Cancelled.class, m -> onCancelled())
        .onMessage(AckReceived.class, this::onAck)
        .onMessage(Response.class, this::onResponse)
        .onMessage(RequestFailed.class, this::onRequestFailed)
        .onMessage(NoAck.class, m -> onNoAck())
        .onMessage(Reported.class, this::onReported)
        .onMessage(RetryReport.class, m -> {
          sendNextReport();
          return this;
        })
        .onMessage(Originated.class, this::onOriginated)
        .onMessage(RetryOriginate.class, m -> {
          sendOriginate();
          return this;
        })
        .onMessage(Stop.class, m -> reports.isEmpty() ? Behaviors.stopped() : this)
        .onMessage(LateAnswerTimeout.class, m -> onLateAnswerTimeout())
        .onMessage(RetryReinvite.class, m -> {
          pendingMedia.ifPresent(p -> {
            pendingMedia = Optional.empty();
            reinvite(p);
          });
          return this;
        })
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          forget();
          return this;
        })
        .build();
  }

  // --- inbound: the caller's INVITE ---

  private void acceptInvite(ServerTransaction tx, SipRequest request,
                            Function<ActorRef<StatusReply<CallCommand.CallInfo>>, CallCommand.Originate> originate) {
    inviteTx = Optional.of(tx);
    String localTag = SipAddresses.newTag();
    NameAddress from = SipMessages.from(request).orElseThrow();
    NameAddress to = SipMessages.to(request).orElseThrow();
    String target = SipMessages.addresses(request, SipHeaderNames.CONTACT).stream().findFirst()
        .map(NameAddress::uri).orElse(from.uri());
    // §12.1.1: the route set is the Record-Route list in order; the remote target is the Contact.
    List<String> routes = request.headers().values(SipHeaderNames.RECORD_ROUTE);
    long seq = SipMessages.cseq(request).map(CSeq::number).orElse(0L);
    Dialog d = new Dialog(SipMessages.callId(request), localTag, from.tag(), to.withoutTag(),
        from.withoutTag(), target, routes, 0, java.util.OptionalLong.of(seq), tx.flow());
    dialog = Optional.of(d);
    edge.dialogs().put(d.callId(), localTag, getContext().getSelf());
    edge.dialogs().identify(d.callId(), localTag, new DialogTable.LegIdentity(callId, legId));
    edge.dialogs().putInvite(tx, getContext().getSelf());
    remoteSdp = sdpOf(request);
    lateOffer = remoteSdp.isEmpty();
    this.originate = Optional.of(originate);
    // Reports (a CANCEL, say) wait until the Call exists; otherwise it would answer "no such call".
    reportInFlight = true;
    sendOriginate();
  }

  private void sendOriginate() {
    EntityRef<CallCommand> call = Call.ref(getContext().getSystem(), callId);
    getContext().askWithStatus(CallCommand.CallInfo.class, call, edge.reportTimeout(), originate.orElseThrow()::apply,
        (info, error) -> error == null ? new Originated(Optional.empty(), false)
            : new Originated(Optional.of(String.valueOf(error.getMessage())),
                error instanceof java.util.concurrent.TimeoutException));
  }

  private Behavior<Msg> onOriginated(Originated m) {
    if (m.error().isEmpty()) {
      reportInFlight = false;
      sendNextReport();
      return this;
    }
    if (m.timedOut() && ++originateAttempt < REPORT_ATTEMPTS) {
      timers.startSingleTimer("originate-retry", new RetryOriginate(), Duration.ofMillis(200L * originateAttempt));
      return this;
    }
    getContext().getLog().warn("call {} could not start: {}", callId, m.error().get());
    reports.clear();
    reportInFlight = false;
    if (phase == Phase.SETUP || phase == Phase.EARLY) {
      respondToInvite(503, Optional.of(5));
    }
    return end();
  }

  // --- commands from the Call ---

  private Behavior<Msg> onCommand(LegCommand command) {
    if (command instanceof LegCommand.AlertLeg a) {
      onAlert(a);
    } else if (command instanceof LegCommand.AnswerLeg a) {
      onAnswer(a);
    } else if (command instanceof LegCommand.HangupLeg h) {
      return onHangup(h.cause());
    } else if (command instanceof LegCommand.HoldLeg) {
      reinvite(() -> localSdp.flatMap(SessionDescription::parse).map(s -> s.withDirection(MediaDirection.SENDONLY)));
    } else if (command instanceof LegCommand.ResumeLeg) {
      reinvite(() -> localSdp.flatMap(SessionDescription::parse).map(s -> s.withDirection(MediaDirection.SENDRECV)));
    } else if (command instanceof LegCommand.UpdateLegMedia u) {
      if (ackAwaitingAnswer.isPresent()) {
        SipResponse ok = ackAwaitingAnswer.get();
        ackAwaitingAnswer = Optional.empty();
        timers.cancel("late-answer");
        localSdp = Optional.of(u.description());
        ackTwoXx(ok, localSdp);
      } else {
        reinvite(() -> SessionDescription.parse(u.description()));
      }
    } else if (command instanceof LegCommand.SendDtmf d) {
      sendDtmfInfo(d.digits());
    } else if (command instanceof LegCommand.TransferOutcome t) {
      // RFC 3515 §2.4.5: the REFER's implicit subscription ends with the final outcome as a sipfrag.
      notifyTransfer(t.succeeded() ? "SIP/2.0 200 OK" : "SIP/2.0 " + t.cause().sipStatus() + " "
          + SipMessages.reasonPhrase(t.cause().sipStatus()), true);
    } else if (command instanceof LegCommand.MoveLeg move) {
      callId = move.newCallId();
      dialog.ifPresent(d -> edge.dialogs().identify(d.callId(), d.localTag(),
          new DialogTable.LegIdentity(callId, legId)));
    } else if (command instanceof LegCommand.OfferLeg) {
      getContext().getLog().debug("offer for a leg that exists already: ignored");
    }
    return this;
  }

  private void onAlert(LegCommand.AlertLeg a) {
    if (role != Role.INBOUND || phase == Phase.CONFIRMED || phase == Phase.ENDED) {
      return;
    }
    phase = Phase.EARLY;
    SipResponse r = withDialogHeaders(SipMessages.response(inviteTx.orElseThrow().request(), a.earlyMedia().isPresent() ? 183 : 180));
    if (a.earlyMedia().isPresent()) {
      localSdp = a.earlyMedia();
      r = SipMessages.withBody(r, "application/sdp", a.earlyMedia().get().getBytes(StandardCharsets.UTF_8));
    }
    inviteTx.get().respond(r);
  }

  private void onAnswer(LegCommand.AnswerLeg a) {
    if (role != Role.INBOUND || phase == Phase.CONFIRMED || phase == Phase.ENDED) {
      return;
    }
    ServerTransaction tx = inviteTx.orElseThrow();
    localSdp = Optional.of(a.answer());
    SipResponse ok = SipMessages.withBody(withDialogHeaders(SipMessages.response(tx.request(), 200)), "application/sdp",
        a.answer().getBytes(StandardCharsets.UTF_8));
    phase = Phase.CONFIRMED;
    tx.respond(ok);
    edge.dialogs().removeInvite(tx);
    ActorRef<Msg> self = getContext().getSelf();
    twoXx = Optional.of(TwoXxRetransmitter.afterFirstSend(ok, tx.flow(), edge.sender(), edge.timers(), edge.timerSettings(),
        () -> self.tell(new NoAck())));
  }

  private Behavior<Msg> onHangup(HangupCause cause) {
    switch (phase) {
      case SETUP, EARLY -> {
        if (role == Role.INBOUND) {
          respondToInvite(cause == HangupCause.NORMAL ? 480 : cause.sipStatus(), Optional.empty());
          return end();
        }
        cancelWanted = true;
        cancelCause = Optional.of(cause);
        if (provisionalReceived) {
          sendCancel();
        }
        // Without a provisional response a CANCEL must wait (§9.1): sent when one arrives, and the
        // INVITE's own timeout ends the leg otherwise.
        return this;
      }
      case CONFIRMED -> {
        sendBye();
        return end();
      }
      default -> {
        return this;
      }
    }
  }

  // --- SIP from the peer ---

  private Behavior<Msg> onCancelled() {
    if (role == Role.INBOUND && phase != Phase.CONFIRMED && phase != Phase.ENDED) {
      respondToInvite(487, Optional.empty());
      report(r -> new CallCommand.LegHungUp(legId, HangupCause.CANCELLED, r));
      return end();
    }
    return this;
  }

  private Behavior<Msg> onAck(AckReceived m) {
    twoXx.ifPresent(TwoXxRetransmitter::ackReceived);
    Optional<String> sdp = sdpOf(m.ack());
    if (sdp.isPresent()) {
      remoteSdp = sdp;
      if (lateOffer) {
        // The caller answered the callee's offer in its ACK: the callee's ACK waits for it.
        lateOffer = false;
        report(r -> new CallCommand.LegMediaChanged(legId, sdp.get(), r));
      }
    }
    return this;
  }

  private Behavior<Msg> onNoAck() {
    // §13.3.1.4: no ACK for our 2xx within 64*T1: the session is not established; BYE it.
    if (phase == Phase.CONFIRMED) {
      getContext().getLog().info("no ACK for the 2xx: ending the leg");
      sendBye();
      report(r -> new CallCommand.LegHungUp(legId, HangupCause.FAILED, r));
      return end();
    }
    return this;
  }

  private Behavior<Msg> onInDialog(InDialog m) {
    SipRequest req = m.request();
    Dialog d = dialog.orElseThrow();
    long seq = SipMessages.cseq(req).map(CSeq::number).orElse(0L);
    if (d.remoteSeq().isPresent() && seq <= d.remoteSeq().getAsLong() && !req.method().equals("ACK")) {
      // §12.2.2: a lower CSeq is out of order.
      m.tx().respond(SipMessages.response(req, 500, "Out of order CSeq"));
      return this;
    }
    dialog = Optional.of(d.withRemoteSeq(seq));
    switch (req.method()) {
      case "BYE" -> {
        m.tx().respond(SipMessages.response(req, 200));
        if (phase != Phase.ENDED) {
          report(r -> new CallCommand.LegHungUp(legId, HangupCause.NORMAL, r));
          if (role == Role.INBOUND && phase != Phase.CONFIRMED) {
            respondToInvite(487, Optional.empty());
          }
        }
        return end();
      }
      case "INVITE" -> onReinvite(m.tx(), req);
      case "INFO" -> onInfo(m.tx(), req);
      case "OPTIONS" -> m.tx().respond(SipCore.capabilities(SipMessages.response(req, 200)));
      case "REFER" -> onRefer(m.tx(), req);
      case "UPDATE" -> m.tx().respond(SipMessages.response(req, 501));
      case "NOTIFY" -> m.tx().respond(SipMessages.response(req, 200));
      default -> m.tx().respond(SipCore.capabilities(SipMessages.response(req, 405)));
    }
    return this;
  }

  private void onReinvite(ServerTransaction tx, SipRequest req) {
    if (phase != Phase.CONFIRMED) {
      tx.respond(SipMessages.response(req, 491));
      return;
    }
    if (reinviteInProgress) {
      // §14.2: a re-INVITE while ours is pending: 491 Request Pending (glare).
      tx.respond(SipMessages.response(req, 491));
      return;
    }
    SipMessages.addresses(req, SipHeaderNames.CONTACT).stream().findFirst()
        .ifPresent(c -> dialog = dialog.map(d -> d.withRemoteTarget(c.uri())));
    Optional<SessionDescription> offer = sdpOf(req).flatMap(SessionDescription::parse);
    Optional<SessionDescription> ours = localSdp.flatMap(SessionDescription::parse);
    if (ours.isEmpty()) {
      tx.respond(SipMessages.response(req, 488));
      return;
    }
    SessionDescription answer = ours.get().withOriginVersionIncremented();
    if (offer.isPresent()) {
      remoteSdp = sdpOf(req);
      answer = answer.withDirection(SessionDescription.answerDirectionFor(offer.get().direction()));
      boolean held = offer.get().isHold();
      if (held != remoteHeld) {
        remoteHeld = held;
        report(r -> new CallCommand.LegHoldChanged(legId, held, r));
      }
    }
    localSdp = Optional.of(answer.format());
    SipResponse ok = SipMessages.withBody(withDialogHeaders(SipMessages.response(req, 200)), "application/sdp",
        answer.format().getBytes(StandardCharsets.UTF_8));
    tx.respond(ok);
    ActorRef<Msg> self = getContext().getSelf();
    twoXx.ifPresent(TwoXxRetransmitter::ackReceived);
    twoXx = Optional.of(TwoXxRetransmitter.afterFirstSend(ok, tx.flow(), edge.sender(), edge.timers(), edge.timerSettings(),
        () -> self.tell(new NoAck())));
  }

  /** SIP INFO with application/dtmf-relay or application/dtmf (the pre-RFC 4733 way some phones send digits). */
  private void onInfo(ServerTransaction tx, SipRequest req) {
    tx.respond(SipMessages.response(req, 200));
    String body = new String(req.body().bytes(), StandardCharsets.UTF_8);
    String type = SipMessages.contentType(req).orElse("");
    Optional<String> digit = Optional.empty();
    if (type.equals("application/dtmf-relay")) {
      digit = body.lines().map(String::trim).filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("signal="))
          .map(l -> l.substring(7).trim()).findFirst();
    } else if (type.equals("application/dtmf")) {
      digit = Optional.of(body.trim());
    }
    digit.filter(d -> d.matches("[0-9A-Da-d*#]")).ifPresent(d -> report(r -> new CallCommand.LegDtmf(legId, d, r)));
  }

  private void onRefer(ServerTransaction tx, SipRequest req) {
    Optional<NameAddress> referTo = req.headers().first("Refer-To").flatMap(NameAddress::parse);
    if (referTo.isEmpty() || phase != Phase.CONFIRMED) {
      tx.respond(SipMessages.response(req, referTo.isEmpty() ? 400 : 481));
      return;
    }
    Optional<SipUri> uri = referTo.get().sipUri();
    Optional<ReplacesHeader> replaces = uri.flatMap(u -> ReplacesHeader.fromUriHeaders(u.headers()));
    if (replaces.isPresent()) {
      // Attended transfer (RFC 3891): Replaces names the transferor's dialog with the target, which
      // is one of our dialogs; our tag is its To tag when the transferor called, else its From tag.
      ReplacesHeader r = replaces.get();
      Optional<DialogTable.LegIdentity> consultation = edge.dialogs().identity(r.callId(), r.toTag())
          .or(() -> edge.dialogs().identity(r.callId(), r.fromTag()));
      if (consultation.isEmpty()) {
        tx.respond(SipMessages.response(req, 481, "Replaced dialog not found"));
        return;
      }
      tx.respond(withDialogHeaders(SipMessages.response(req, 202)));
      notifyTransfer("SIP/2.0 100 Trying", false);
      DialogTable.LegIdentity c = consultation.get();
      report(rep -> new CallCommand.LegAttendedTransferRequested(legId, c.callId(), c.legId(), rep));
      return;
    }
    String target = uri.flatMap(SipUri::user).orElse(referTo.get().uri());
    tx.respond(withDialogHeaders(SipMessages.response(req, 202)));
    notifyTransfer("SIP/2.0 100 Trying", false);
    report(r -> new CallCommand.LegTransferRequested(legId, target, r));
  }

  /** NOTIFY for the REFER's implicit subscription (RFC 3515 §2.4.4): progress, then the final state. */
  private void notifyTransfer(String sipfrag, boolean terminated) {
    if (phase != Phase.CONFIRMED || dialog.isEmpty() || dialog.get().remoteTag().isEmpty()) {
      return;
    }
    Dialog d = dialog.get().nextLocalSeq();
    dialog = Optional.of(d);
    SipRequest notify = SipMessages.withBody(d.request("NOTIFY", d.localSeq(), TransactionLayer.newBranch(),
        SipAddresses.contact(d.flow(), "sb-" + d.localTag())), "message/sipfrag;version=2.0",
        (sipfrag + "\r\n").getBytes(StandardCharsets.UTF_8));
    notify = notify.withHeaders(notify.headers().plus("Event", "refer").plus("Subscription-State",
        terminated ? "terminated;reason=noresource" : "active;expires=60"));
    send(notify, Purpose.OTHER);
  }

  // --- outbound: our INVITE to a device ---

  private void sendInvite(LegCommand.OfferLeg offer, Optional<Flow> maybeFlow) {
    if (maybeFlow.isEmpty()) {
      // No registered flow and no dialable address: the device cannot be reached from here.
      getContext().getLog().info("no route to {}", offer.contactUri());
      report(rep -> new CallCommand.LegRejected(legId, HangupCause.UNAVAILABLE, rep));
      end();
      return;
    }
    Flow flow = maybeFlow.get();
    String localTag = SipAddresses.newTag();
    String host = flow.local().getAddress().getHostAddress();
    NameAddress from = new NameAddress(Optional.of(offer.caller().displayName()).filter(s -> !s.isEmpty()),
        "sip:" + offer.caller().address() + "@" + SipAddresses.hostPort(flow.local()), java.util.Map.of());
    String toUri = SipUri.parse(offer.contactUri()).map(u -> "sip:" + offer.callee().address() + "@" + u.hostPort())
        .orElse(offer.contactUri());
    Dialog d = new Dialog(SipAddresses.newCallId(), localTag, Optional.empty(), from,
        new NameAddress(Optional.empty(), toUri, java.util.Map.of()), offer.contactUri(), List.of(), 1,
        java.util.OptionalLong.empty(), flow);
    dialog = Optional.of(d);
    edge.dialogs().put(d.callId(), localTag, getContext().getSelf());
    edge.dialogs().identify(d.callId(), localTag, new DialogTable.LegIdentity(callId, legId));
    SipRequest req = d.request("INVITE", 1, TransactionLayer.newBranch(), SipAddresses.contact(flow, "sb-" + localTag));
    if (offer.offer().isPresent()) {
      localSdp = offer.offer();
      req = SipMessages.withBody(req, "application/sdp", offer.offer().get().getBytes(StandardCharsets.UTF_8));
    }
    req = req.withHeaders(req.headers().plus("Allow", SipCore.ALLOW).plus("Supported", "replaces"));
    invite = Optional.of(req);
    send(req, Purpose.INVITE);
  }

  private Behavior<Msg> onResponse(Response m) {
    SipResponse r = m.response();
    return switch (m.purpose()) {
      case INVITE -> onInviteResponse(r);
      case REINVITE -> onReinviteResponse(r);
      default -> this;
    };
  }

  private Behavior<Msg> onInviteResponse(SipResponse r) {
    int status = r.status();
    if (status < 200) {
      if (status == 100) {
        return this;
      }
      provisionalReceived = true;
      if (cancelWanted) {
        sendCancel();
        return this;
      }
      Optional<String> early = sdpOf(r);
      SipMessages.to(r).flatMap(NameAddress::tag).ifPresent(tag -> dialog = dialog.map(d -> d.withRemoteTag(tag)));
      if (phase == Phase.SETUP || (early.isPresent() && remoteSdp.isEmpty())) {
        phase = Phase.EARLY;
        remoteSdp = early.isPresent() ? early : remoteSdp;
        report(rep -> new CallCommand.LegAlerting(legId, early, rep));
      }
      return this;
    }
    if (status < 300) {
      if (phase == Phase.CONFIRMED || phase == Phase.ENDED) {
        if (ackAwaitingAnswer.isPresent()) {
          return this; // a retransmission while the caller's answer is on its way; the ACK will carry it
        }
        // A retransmitted 2xx (RFC 6026 Accepted) or a second fork's 2xx: ACK it again; BYE a stranger.
        ackTwoXx(r);
        if (phase == Phase.ENDED || !SipMessages.to(r).flatMap(NameAddress::tag).equals(dialog.flatMap(Dialog::remoteTag))) {
          byeFor(r);
        }
        return this;
      }
      confirmUac(r);
      Optional<String> answer = sdpOf(r);
      if (localSdp.isEmpty() && answer.isPresent() && !cancelWanted) {
        // Late offer: the 2xx holds the callee's offer; its ACK must carry the caller's answer (§13.2.1),
        // which comes back as UpdateLegMedia once the caller ACKs our 200.
        ackAwaitingAnswer = Optional.of(r);
        timers.startSingleTimer("late-answer", new LateAnswerTimeout(), edge.timerSettings().sixtyFourT1());
        phase = Phase.CONFIRMED;
        remoteSdp = answer;
        report(rep -> new CallCommand.LegAnswered(legId, answer.get(), rep));
        return this;
      }
      ackTwoXx(r);
      if (cancelWanted) {
        // The callee answered as we cancelled: the 2xx wins the race, so end it with BYE (§9.1).
        sendBye();
        return end();
      }
      phase = Phase.CONFIRMED;
      remoteSdp = answer;
      report(rep -> new CallCommand.LegAnswered(legId, answer.orElse(""), rep));
      return this;
    }
    if (phase == Phase.ENDED) {
      return this;
    }
    HangupCause cause = HangupCause.fromSipStatus(status);
    report(rep -> new CallCommand.LegRejected(legId, cause, rep));
    return end();
  }

  private void confirmUac(SipResponse r) {
    Dialog d = dialog.orElseThrow();
    String tag = SipMessages.to(r).flatMap(NameAddress::tag).orElse("");
    String target = SipMessages.addresses(r, SipHeaderNames.CONTACT).stream().findFirst().map(NameAddress::uri)
        .orElse(d.remoteTarget());
    // §12.1.2: the UAC's route set is the Record-Route list in reverse order.
    List<String> routes = new ArrayList<>(r.headers().values(SipHeaderNames.RECORD_ROUTE));
    java.util.Collections.reverse(routes);
    dialog = Optional.of(d.withRemoteTag(tag).withRemoteTarget(target).withRouteSet(routes));
  }

  /** §13.2.2.4: the ACK for a 2xx is a new transaction-less request with the INVITE's CSeq number. */
  private void ackTwoXx(SipResponse r) {
    ackTwoXx(r, Optional.empty());
  }

  private void ackTwoXx(SipResponse r, Optional<String> sdp) {
    Dialog d = dialog.orElseThrow();
    long seq = SipMessages.cseq(r).map(CSeq::number).orElse(1L);
    SipRequest ack = d.request("ACK", seq, TransactionLayer.newBranch(), "");
    if (sdp.isPresent()) {
      ack = SipMessages.withBody(ack, "application/sdp", sdp.get().getBytes(StandardCharsets.UTF_8));
    }
    edge.sender().send(ack, d.flow());
  }

  /** The caller never answered the callee's late offer: complete the callee's INVITE and end the leg. */
  private Behavior<Msg> onLateAnswerTimeout() {
    if (ackAwaitingAnswer.isEmpty()) {
      return this;
    }
    getContext().getLog().info("no answer to the callee's offer within 64*T1: ending the leg");
    ackTwoXx(ackAwaitingAnswer.get());
    ackAwaitingAnswer = Optional.empty();
    sendBye();
    report(rep -> new CallCommand.LegHungUp(legId, HangupCause.FAILED, rep));
    return end();
  }

  /** A 2xx from a fork or arriving after we gave up: ACK and BYE that dialog so the device does not ring on. */
  private void byeFor(SipResponse r) {
    Dialog d = dialog.orElseThrow();
    String tag = SipMessages.to(r).flatMap(NameAddress::tag).orElse("");
    String target = SipMessages.addresses(r, SipHeaderNames.CONTACT).stream().findFirst().map(NameAddress::uri)
        .orElse(d.remoteTarget());
    Dialog other = d.withRemoteTag(tag).withRemoteTarget(target);
    SipRequest bye = other.request("BYE", d.localSeq() + 1, TransactionLayer.newBranch(),
        SipAddresses.contact(d.flow(), "sb-" + d.localTag()));
    edge.transactions().sendRequest(bye, d.flow(), ignoring());
  }

  private Behavior<Msg> onReinviteResponse(SipResponse r) {
    if (r.status() < 200) {
      return this;
    }
    reinviteInProgress = false;
    if (r.status() < 300) {
      ackTwoXx(r);
      sdpOf(r).ifPresent(s -> remoteSdp = Optional.of(s));
    } else if (r.status() == 481 || r.status() == 408) {
      // §12.2.1.2: the dialog is gone.
      report(rep -> new CallCommand.LegHungUp(legId, HangupCause.FAILED, rep));
      sendBye();
      return end();
    } else if (r.status() == 491) {
      // §14.1: glare; try again after 2.1-4 s (we are never the Call-ID owner on both sides at once).
      if (pendingMedia.isEmpty()) {
        pendingMedia = currentMedia;
      }
      timers.startSingleTimer("reinvite-retry", new RetryReinvite(),
          Duration.ofMillis(2100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1900)));
      return this;
    }
    if (pendingMedia.isPresent()) {
      var next = pendingMedia.get();
      pendingMedia = Optional.empty();
      reinvite(next);
    }
    return this;
  }

  private Behavior<Msg> onRequestFailed(RequestFailed m) {
    switch (m.purpose()) {
      case INVITE -> {
        if (phase == Phase.SETUP || phase == Phase.EARLY) {
          HangupCause cause = cancelWanted ? cancelCause.orElse(HangupCause.CANCELLED)
              : HangupCause.fromSipStatus(m.status());
          report(rep -> new CallCommand.LegRejected(legId, cause, rep));
          return end();
        }
        return this;
      }
      case REINVITE -> {
        reinviteInProgress = false;
        if (phase == Phase.CONFIRMED) {
          report(rep -> new CallCommand.LegHungUp(legId, HangupCause.FAILED, rep));
          sendBye();
          return end();
        }
        return this;
      }
      default -> {
        return this;
      }
    }
  }

  // --- sending ---

  /** A re-INVITE with the description {@code media} gives when it is sent (§14.1: one at a time). */
  private void reinvite(java.util.function.Supplier<Optional<SessionDescription>> media) {
    if (phase != Phase.CONFIRMED) {
      return;
    }
    if (reinviteInProgress || timers.isTimerActive("reinvite-retry")) {
      pendingMedia = Optional.of(media);
      return;
    }
    Optional<SessionDescription> description = media.get();
    if (description.isEmpty()) {
      return;
    }
    currentMedia = Optional.of(media);
    Dialog d = dialog.orElseThrow().nextLocalSeq();
    dialog = Optional.of(d);
    String sdp = description.get().withOriginVersionIncremented().format();
    localSdp = Optional.of(sdp);
    SipRequest req = SipMessages.withBody(d.request("INVITE", d.localSeq(), TransactionLayer.newBranch(),
        SipAddresses.contact(d.flow(), "sb-" + d.localTag())), "application/sdp", sdp.getBytes(StandardCharsets.UTF_8));
    reinviteInProgress = true;
    send(req, Purpose.REINVITE);
  }

  private void sendDtmfInfo(String digits) {
    if (phase != Phase.CONFIRMED) {
      return;
    }
    for (char c : digits.toCharArray()) {
      Dialog d = dialog.orElseThrow().nextLocalSeq();
      dialog = Optional.of(d);
      SipRequest info = SipMessages.withBody(d.request("INFO", d.localSeq(), TransactionLayer.newBranch(),
              SipAddresses.contact(d.flow(), "sb-" + d.localTag())), "application/dtmf-relay",
          ("Signal=" + c + "\r\nDuration=160\r\n").getBytes(StandardCharsets.UTF_8));
      send(info, Purpose.OTHER);
    }
  }

  private void sendBye() {
    if (dialog.isEmpty() || dialog.get().remoteTag().isEmpty()) {
      return;
    }
    twoXx.ifPresent(TwoXxRetransmitter::ackReceived);
    if (ackAwaitingAnswer.isPresent()) {
      // The 2xx must be ACKed before the dialog can be ended (§15).
      ackTwoXx(ackAwaitingAnswer.get());
      ackAwaitingAnswer = Optional.empty();
      timers.cancel("late-answer");
    }
    Dialog d = dialog.get().nextLocalSeq();
    dialog = Optional.of(d);
    send(d.request("BYE", d.localSeq(), TransactionLayer.newBranch(), SipAddresses.contact(d.flow(), "sb-" + d.localTag())),
        Purpose.BYE);
  }

  /** §9.1: CANCEL copies the INVITE's Request-URI, Call-ID, From, To, CSeq number, Route and top Via. */
  private void sendCancel() {
    SipRequest inv = invite.orElseThrow();
    var h = io.switchboard.sip.message.SipHeaders.of()
        .plus(SipHeaderNames.VIA, inv.headers().values(SipHeaderNames.VIA).get(0))
        .plus(SipHeaderNames.MAX_FORWARDS, "70");
    for (String route : inv.headers().values(SipHeaderNames.ROUTE)) {
      h = h.plus(SipHeaderNames.ROUTE, route);
    }
    h = h.plus(SipHeaderNames.FROM, inv.headers().first(SipHeaderNames.FROM).orElseThrow())
        .plus(SipHeaderNames.TO, inv.headers().first(SipHeaderNames.TO).orElseThrow())
        .plus(SipHeaderNames.CALL_ID, SipMessages.callId(inv))
        .plus(SipHeaderNames.CSEQ, SipMessages.cseq(inv).map(CSeq::number).orElse(1L) + " CANCEL")
        .plus("Reason", "SIP;cause=" + cancelCause.map(HangupCause::sipStatus).orElse(487));
    SipRequest cancel = new SipRequest("CANCEL", inv.requestUri(), "SIP/2.0", h, io.switchboard.sip.message.SipBody.EMPTY);
    send(cancel, Purpose.CANCEL);
  }

  private void send(SipRequest request, Purpose purpose) {
    ActorRef<Msg> self = getContext().getSelf();
    edge.transactions().sendRequest(request, dialog.orElseThrow().flow(), new ClientTransactionListener() {
      @Override
      public void onResponse(SipResponse response) {
        self.tell(new Response(purpose, response));
      }

      @Override
      public void onTimeout() {
        self.tell(new RequestFailed(purpose, 408));
      }

      @Override
      public void onTransportError(Throwable cause) {
        self.tell(new RequestFailed(purpose, 503));
      }
    });
  }

  private static ClientTransactionListener ignoring() {
    return new ClientTransactionListener() {
      @Override
      public void onResponse(SipResponse response) {}

      @Override
      public void onTimeout() {}

      @Override
      public void onTransportError(Throwable cause) {}
    };
  }

  /** The final answer to the caller's INVITE, unless it has one; {@code retryAfter} only for a 503. */
  private void respondToInvite(int status, Optional<Integer> retryAfter) {
    inviteTx.filter(tx -> !tx.isFinal()).ifPresent(tx -> {
      SipResponse r = withDialogHeaders(SipMessages.response(tx.request(), status));
      if (retryAfter.isPresent()) {
        r = r.withHeaders(r.headers().plus("Retry-After", retryAfter.get().toString()));
      }
      tx.respond(r);
      edge.dialogs().removeInvite(tx);
    });
  }

  /** Our To tag, and a Contact for responses that make or confirm a dialog (§12.1.1). */
  private SipResponse withDialogHeaders(SipResponse r) {
    Dialog d = dialog.orElseThrow();
    SipResponse tagged = SipMessages.withToTag(r, d.localTag());
    if (r.status() >= 300 || r.status() == 100) {
      return tagged;
    }
    return SipCore.capabilities(tagged.withHeaders(tagged.headers().withOnly(SipHeaderNames.CONTACT,
        SipAddresses.contact(d.flow(), "sb-" + d.localTag()))));
  }

  private static Optional<String> sdpOf(SipMessage m) {
    if (m.body().length() == 0 || !SipMessages.contentType(m).orElse("application/sdp").equals("application/sdp")) {
      return Optional.empty();
    }
    return Optional.of(new String(m.body().bytes(), StandardCharsets.UTF_8));
  }

  // --- reports to the Call, in order, at least once ---

  private void report(Function<ActorRef<StatusReply<Done>>, CallCommand> report) {
    if (reports.size() >= MAX_QUEUED_REPORTS) {
      getContext().getLog().warn("the Call does not acknowledge reports: dropping the oldest");
      reports.pollFirst();
    }
    reports.addLast(report);
    if (!reportInFlight) {
      sendNextReport();
    }
  }

  private void sendNextReport() {
    Function<ActorRef<StatusReply<Done>>, CallCommand> next = reports.peekFirst();
    if (next == null) {
      reportInFlight = false;
      return;
    }
    reportInFlight = true;
    EntityRef<CallCommand> call = Call.ref(getContext().getSystem(), callId);
    getContext().askWithStatus(Done.class, call, edge.reportTimeout(), next::apply,
        (done, error) -> error == null ? new Reported(true, false, Optional.empty())
            : new Reported(false, error instanceof java.util.concurrent.TimeoutException,
                Optional.of(String.valueOf(error.getMessage()))));
  }

  private Behavior<Msg> onReported(Reported m) {
    // Only silence is retried: a refusal is the Call's answer and would be the same again.
    if (!m.timedOut() || ++reportAttempt >= REPORT_ATTEMPTS) {
      if (!m.delivered()) {
        getContext().getLog().warn("report not accepted by call {}: {}", callId, m.error().orElse(""));
      }
      reports.pollFirst();
      reportAttempt = 0;
      sendNextReport();
      if (phase == Phase.ENDED && reports.isEmpty() && !timers.isTimerActive("linger")) {
        return Behaviors.stopped();
      }
    } else {
      timers.startSingleTimer("report-retry", new RetryReport(), Duration.ofMillis(200L * reportAttempt));
    }
    return this;
  }

  // --- the end ---

  private Behavior<Msg> end() {
    if (phase != Phase.ENDED) {
      phase = Phase.ENDED;
      inviteTx.ifPresent(edge.dialogs()::removeInvite);
      timers.startSingleTimer("linger", new Stop(), LINGER);
    }
    return this;
  }

  @Override
  public String toString() {
    return "SipLeg[" + legId + " of " + callId + ", " + role + ", " + phase + "]";
  }

  /** The dialog table forgets a stopped leg. */
  private void forget() {
    dialog.ifPresent(d -> edge.dialogs().remove(d.callId(), d.localTag(), getContext().getSelf()));
    inviteTx.ifPresent(edge.dialogs()::removeInvite);
    edge.dialogs().removeLeg(legId, getContext().getSelf());
  }
}
