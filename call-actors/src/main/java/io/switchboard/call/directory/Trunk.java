package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A SIP trunk to a carrier.
 *
 * @param trunkId        1 to 64 letters, digits, {@code _} or {@code -}
 * @param host           the carrier's SIP server: an IPv4 or IPv6 literal or a DNS name
 * @param port           1 to 65535
 * @param allowedSources IPv4/IPv6 addresses or CIDR blocks (e.g. {@code 192.0.2.0/24},
 *                       {@code 2001:db8::/32}) from which the trunk's inbound calls are accepted
 *                       without digest authentication; see {@link #allows(InetAddress)}
 * @param credentials    what we answer the carrier's digest challenges with (HA1 values only). In an
 *                       {@link Directory.UpdateTrunk} (and its event) empty means: keep the stored ones
 * @param register       whether we REGISTER with the carrier
 * @param callerId       the E.164 number presented on outbound calls, if not the caller's own
 */
public record Trunk(String trunkId, String name, String host, int port, Transport transport,
                    List<String> allowedSources, Optional<TrunkCredentials> credentials, boolean register,
                    Optional<String> callerId) implements ProtobufSerializable {

  public enum Transport { UDP, TCP, TLS }

  public Trunk {
    allowedSources = List.copyOf(allowedSources);
  }

  /**
   * Whether {@code source} lies in one of {@link #allowedSources()}: exact CIDR matching of the
   * address bytes, no DNS. Families never mix: an IPv4 source only matches IPv4 entries, an IPv6
   * source only IPv6 ones (Java already hands out IPv4-mapped IPv6 addresses as IPv4). Entries that
   * are not valid (the directory refuses them, so only a hand-made value has them) match nothing.
   */
  public boolean allows(InetAddress source) {
    byte[] address = source.getAddress();
    return allowedSources.stream()
        .map(AddressBlock::parse)
        .flatMap(Optional::stream)
        .anyMatch(block -> block.contains(address));
  }

  /** The same trunk with other credentials. */
  public Trunk withCredentials(Optional<TrunkCredentials> c) {
    return new Trunk(trunkId, name, host, port, transport, allowedSources, c, register, callerId);
  }
}
