package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A headless baresip (Debian's baresip-core) as a real softphone: a config directory per phone,
 * an 8 kHz tone file as its microphone, no sound card, driven over its ctrl_tcp socket (netstring
 * JSON both ways, events unsolicited). The process quits by itself after {@code -t} seconds.
 */
final class Baresip implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final Socket control;
  private final List<JsonNode> events = new ArrayList<>();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int token;

  private Baresip(String name, Process process, Socket control) {
    this.name = name;
    this.process = process;
    this.control = control;
  }

  /**
   * Starts a phone registering {@code user@domain} through the edge at {@code proxyPort}, listening
   * for SIP on {@code sipPort}, RTP on {@code rtpBase..rtpBase+99} and control on {@code ctrlPort}.
   */
  static Baresip start(String user, String password, String domain, int proxyPort, int sipPort, int ctrlPort,
                       int rtpBase, boolean autoAnswer) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/baresip"))) {
      fail("baresip is not installed: run the tests with './switchboard test', which installs baresip-core");
    }
    Path dir = Path.of("target/baresip", user).toAbsolutePath();
    Files.createDirectories(dir);
    Path wav = dir.resolve("tone8k.wav");
    writeTone(wav);
    Files.writeString(dir.resolve("config"), String.join("\n",
        "poll_method epoll",
        "sip_listen 127.0.0.1:" + sipPort,
        "net_interface 127.0.0.1",
        "dns_server 127.0.0.1:53",
        "call_local_timeout 30",
        "call_max_calls 4",
        "audio_player alsa,null",
        "audio_source aufile," + wav,
        "audio_alert alsa,null",
        "audio_level no",
        "rtp_ports " + rtpBase + "-" + (rtpBase + 99),
        "rtp_stats yes",
        "jitter_buffer_delay 1-10",
        "module_path /usr/lib/baresip/modules",
        "module g711.so",
        "module aufile.so",
        "module alsa.so",
        "module ctrl_tcp.so",
        "module_tmp account.so",
        "module_app menu.so",
        "ctrl_tcp_listen 127.0.0.1:" + ctrlPort, ""));
    Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@" + domain + ">;auth_user=" + user + ";auth_pass="
        + password + ";outbound=\"sip:127.0.0.1:" + proxyPort + "\";regint=60;answermode="
        + (autoAnswer ? "auto" : "manual") + ";audio_codecs=PCMU\n");
    Files.writeString(dir.resolve("contacts"), "");
    Process p = new ProcessBuilder("baresip", "-f", dir.toString(), "-t", "60").redirectErrorStream(true)
        .redirectOutput(dir.resolve("baresip.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(
            new java.io.File("/dev/null"))).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        Socket s = new Socket("127.0.0.1", ctrlPort);
        s.setSoTimeout(200);
        return new Baresip(user, p, s);
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          p.destroyForcibly();
          fail("baresip " + user + " did not open its control port: " + log(dir));
        }
        Thread.sleep(100);
      }
    }
  }

  static String log(Path dir) {
    try {
      String text = Files.readString(dir.resolve("baresip.log"));
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  String log() {
    return log(Path.of("target/baresip", name).toAbsolutePath());
  }

  /** Sends a command and returns its response. */
  JsonNode command(String command, String params) throws Exception {
    String tok = "t" + (++token);
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("command", command).put("params", params)
        .put("token", tok));
    OutputStream out = control.getOutputStream();
    out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.write(',');
    out.flush();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode m : read()) {
        if (m.path("response").asBoolean() && tok.equals(m.path("token").asText())) {
          return m;
        }
      }
    }
    throw new AssertionError("baresip " + name + ": no response to " + command);
  }

  /** Waits for an event of {@code type}, keeping the others. */
  Optional<JsonNode> await(String type, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (JsonNode e : events) {
        if (type.equals(e.path("type").asText())) {
          events.remove(e);
          return Optional.of(e);
        }
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      read();
    }
  }

  /** Every event of {@code type} seen so far (and within {@code timeout} more). */
  List<JsonNode> collect(String type, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      read();
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (type.equals(e.path("type").asText())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Reads what arrived within 200 ms: netstrings {@code <len>:<json>,}. */
  private List<JsonNode> read() throws IOException {
    InputStream in = control.getInputStream();
    byte[] buf = new byte[65536];
    try {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("baresip " + name + " closed its control socket");
      }
      pending.write(buf, 0, n);
    } catch (SocketTimeoutException e) {
      // nothing this time
    }
    List<JsonNode> out = new ArrayList<>();
    byte[] data = pending.toByteArray();
    int pos = 0;
    while (true) {
      int colon = -1;
      for (int i = pos; i < data.length; i++) {
        if (data[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        break;
      }
      int len = Integer.parseInt(new String(data, pos, colon - pos, StandardCharsets.US_ASCII).trim());
      if (data.length < colon + 1 + len + 1) {
        break;
      }
      JsonNode m = JSON.readTree(new String(data, colon + 1, len, StandardCharsets.UTF_8));
      out.add(m);
      if (m.path("event").asBoolean()) {
        events.add(m);
      }
      pos = colon + 1 + len + 1;
    }
    pending.reset();
    pending.write(data, pos, data.length - pos);
    return out;
  }

  /** One minute of a 440 Hz tone, 8 kHz mono 16-bit: the phone's microphone. */
  private static void writeTone(Path wav) throws IOException {
    if (Files.exists(wav)) {
      return;
    }
    int samples = 8000 * 60;
    ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
    for (int n = 0; n < samples; n++) {
      b.putShort((short) (6000 * Math.sin(2 * Math.PI * 440 * n / 8000.0)));
    }
    Files.write(wav, b.array());
  }

  @Override
  public void close() throws java.io.IOException, InterruptedException {
    try {
      control.close();
    } finally {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
