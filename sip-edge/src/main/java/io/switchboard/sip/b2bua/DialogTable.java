package io.switchboard.sip.b2bua;

import io.switchboard.sip.transaction.ServerTransaction;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Which leg owns a dialog (keyed by Call-ID and our tag, RFC 3261 §12), and which leg owns a pending
 * INVITE server transaction (so that CANCEL finds it, §9.2). Written by the legs, read on transport
 * threads; entries go when the leg stops, so the table is bounded by the live legs.
 */
public final class DialogTable {
  /** Which call and leg a dialog is, for REFER with Replaces (RFC 3891) naming another dialog. */
  public record LegIdentity(String callId, String legId) {}

  private final ConcurrentMap<String, ActorRef<SipLeg.Msg>> byDialog = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LegIdentity> identities = new ConcurrentHashMap<>();
  private final ConcurrentMap<ServerTransaction, ActorRef<SipLeg.Msg>> byInvite = new ConcurrentHashMap<>();

  private final ConcurrentMap<String, ActorRef<SipLeg.Msg>> byLegId = new ConcurrentHashMap<>();

  public void putLeg(String legId, ActorRef<SipLeg.Msg> leg) {
    byLegId.put(legId, leg);
  }

  public void removeLeg(String legId, ActorRef<SipLeg.Msg> leg) {
    byLegId.remove(legId, leg);
  }

  public Optional<ActorRef<SipLeg.Msg>> findLeg(String legId) {
    return Optional.ofNullable(byLegId.get(legId));
  }

  static String key(String sipCallId, String localTag) {
    return sipCallId + "\u0000" + localTag;
  }

  public void put(String sipCallId, String localTag, ActorRef<SipLeg.Msg> leg) {
    byDialog.put(key(sipCallId, localTag), leg);
  }

  public void remove(String sipCallId, String localTag, ActorRef<SipLeg.Msg> leg) {
    if (byDialog.remove(key(sipCallId, localTag), leg)) {
      identities.remove(key(sipCallId, localTag));
    }
  }

  /** Records which call and leg the dialog is (again after a MoveLeg). */
  public void identify(String sipCallId, String localTag, LegIdentity identity) {
    identities.put(key(sipCallId, localTag), identity);
  }

  public Optional<LegIdentity> identity(String sipCallId, String localTag) {
    return Optional.ofNullable(identities.get(key(sipCallId, localTag)));
  }

  public Optional<ActorRef<SipLeg.Msg>> find(String sipCallId, String localTag) {
    return Optional.ofNullable(byDialog.get(key(sipCallId, localTag)));
  }

  public void putInvite(ServerTransaction tx, ActorRef<SipLeg.Msg> leg) {
    byInvite.put(tx, leg);
  }

  public void removeInvite(ServerTransaction tx) {
    byInvite.remove(tx);
  }

  public Optional<ActorRef<SipLeg.Msg>> findInvite(ServerTransaction tx) {
    return Optional.ofNullable(byInvite.get(tx));
  }

}
