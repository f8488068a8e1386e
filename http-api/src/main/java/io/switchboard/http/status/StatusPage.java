package io.switchboard.http.status;

import java.util.List;

/** The human-readable status page: plain HTML rendered on the server, readable without JavaScript. */
final class StatusPage {
  private StatusPage() {}

  static String render(NodeStatus s, List<StatusRoutes.Link> links) {
    StringBuilder members = new StringBuilder();
    for (NodeStatus.Member m : s.cluster().members()) {
      members.append("<tr><td>").append(esc(m.address())).append("</td><td>").append(esc(m.status()))
          .append(m.reachable() ? "" : " (unreachable)").append("</td><td>")
          .append(esc(String.join(", ", m.roles()))).append("</td></tr>\n");
    }
    NodeStatus.Cassandra c = s.cassandra();
    String cassandra = esc(c.mode()) + " at " + esc(String.join(", ", c.contactPoints())) + ": "
        + (c.connected() ? "connected" + (c.releaseVersion() == null ? "" : " (Cassandra " + esc(c.releaseVersion()) + ")")
            : "<strong>not connected</strong>" + (c.error() == null ? "" : " — " + esc(c.error())));
    NodeStatus.Installation i = s.installation();
    String installation = i.available()
        ? esc(i.id()) + ", created " + esc(i.createdAt()) + ", " + i.nodeStarts() + " node starts"
        : "<strong>unavailable</strong>" + (i.error() == null ? "" : " — " + esc(i.error()));
    StringBuilder linkList = new StringBuilder();
    for (StatusRoutes.Link l : links) {
      linkList.append("<li><a href=\"").append(esc(l.url())).append("\">").append(esc(l.label()))
          .append("</a> <code>").append(esc(l.url())).append("</code></li>\n");
    }
    return page("Switchboard — " + esc(s.node().status()), """
        <h1>Switchboard</h1>
        <p>This node: <code>%s</code>, <strong>%s</strong>, roles %s, version %s, up %d s.</p>
        <h2>Cluster members</h2>
        <table><thead><tr><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Roles</th></tr></thead>
        <tbody>
        %s</tbody></table>
        <h2>Storage</h2>
        <p>Cassandra: %s</p>
        <p>Installation: %s</p>
        <h2>For machines</h2>
        <ul>
        %s</ul>
        """.formatted(esc(s.node().address()), esc(s.node().status()), esc(String.join(", ", s.node().roles())),
        esc(s.node().version()), s.node().uptimeSeconds(), members, cassandra, installation, linkList));
  }

  static String unavailable(String reason) {
    return page("Switchboard — status unavailable",
        "<h1>Switchboard</h1><p>Status is unavailable: " + esc(reason) + "</p>");
  }

  private static String page(String title, String body) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="refresh" content="10">
        <title>%s</title>
        <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
        code{background:#f4f4f4;padding:0 .2rem}</style></head>
        <body><main>
        %s
        </main></body></html>
        """.formatted(title, body);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
