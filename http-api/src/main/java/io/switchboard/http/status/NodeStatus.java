package io.switchboard.http.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON document served at {@code GET /api/v1/status}. Absent facts are left out, never null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(Node node, Cluster cluster, Cassandra cassandra, Installation installation) {

  /** This node. {@code status} is its cluster membership status ({@code Joining}, {@code Up}, ...). */
  public record Node(String address, String status, List<String> roles, String version, long uptimeSeconds) {}

  public record Member(String address, String status, List<String> roles, boolean reachable) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cluster(String leader, List<Member> members) {}

  /** {@code mode} is {@code embedded} (started by this node) or {@code external}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cassandra(String mode, List<String> contactPoints, boolean connected, String releaseVersion,
                          String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Installation(boolean available, String id, String createdAt, Long nodeStarts, String error) {}
}
