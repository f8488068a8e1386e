package io.switchboard.http.calls;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.call.CallEvent;
import io.switchboard.call.CallRecord;
import io.switchboard.call.cdr.CallHistory;
import io.switchboard.call.cdr.CallRecordStore;
import io.switchboard.http.ApiErrors;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Call detail records over HTTP: {@code GET /api/v1/calls} lists a tenant's records newest first,
 * filtered by time range, extension and disposition, a page at a time (JSON) or as a CSV export;
 * {@code GET /api/v1/calls/{id}} answers one call with its full event history from the journal
 * (also while the call is still in progress). A tenant admin sees only its tenant; an owner names
 * the tenant with {@code ?tenant=}. Another tenant's call answers 404, like an unknown one.
 */
public final class CallRoutes extends AllDirectives {
  /** Without {@code from}, a listing covers this far back from {@code to}. */
  public static final Duration DEFAULT_RANGE = Duration.ofDays(7);
  public static final int DEFAULT_LIMIT = 50;
  /** A CSV export stops after this many records (page on with {@code from}/{@code to} for more). */
  public static final int MAX_EXPORT = 10_000;
  /** An export reads at most this many listing pages (each bounded by CallRecordStore.MAX_SCAN rows). */
  public static final int MAX_EXPORT_PAGES = 20;

  /** What {@link #routes} serves, as the OpenAPI document names it (its test compares the two). */
  public static final List<String> OPERATIONS = List.of("GET /api/v1/calls", "GET /api/v1/calls/{callId}");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final ApiAuth auth;
  private final CallRecordStore store;
  private final CallHistory history;

  public CallRoutes(ApiAuth auth, CallRecordStore store, CallHistory history) {
    this.auth = auth;
    this.store = store;
    this.history = history;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("calls", () -> auth.authenticated(principal ->
        get(() -> parameterMap(params -> concat(
            pathEnd(() -> withTenant(principal, params, tenant -> list(tenant, params))),
            path(callId -> withTenant(principal, params, tenant -> one(tenant, callId))))))))));
  }

  /** The tenant a request is about: the token's own, or for an owner the {@code tenant} parameter. */
  private Route withTenant(Principal principal, Map<String, String> params, Function<String, Route> inner) {
    Optional<String> asked = Optional.ofNullable(params.get("tenant")).filter(t -> !t.isBlank());
    Optional<String> tenant = asked.or(principal::tenantId);
    if (tenant.isEmpty()) {
      return complete(ApiErrors.response(StatusCodes.BAD_REQUEST,
          "tenant: required with an installation-wide token"));
    }
    if (!principal.mayAccessTenant(tenant.get())) {
      return complete(ApiErrors.response(StatusCodes.NOT_FOUND, "no tenant " + tenant.get()));
    }
    return inner.apply(tenant.get());
  }

  private Route list(String tenant, Map<String, String> params) {
    List<String> problems = new ArrayList<>();
    Instant to = instant(params, "to", problems).orElseGet(Instant::now);
    Instant from = instant(params, "from", problems).orElse(to.minus(DEFAULT_RANGE).isBefore(EARLIEST) ? EARLIEST
        : to.minus(DEFAULT_RANGE));
    if (!from.isBefore(to)) {
      problems.add("from: must be before to");
    } else if (Duration.between(from, to).toDays() >= CallRecordStore.MAX_DAYS) {
      problems.add("from: at most " + CallRecordStore.MAX_DAYS + " days before to; page through longer periods");
    }
    Optional<CallRecord.Disposition> disposition = Optional.ofNullable(params.get("disposition")).flatMap(d -> {
      try {
        return Optional.of(CallRecord.Disposition.valueOf(d.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("disposition: must be one of " + List.of(CallRecord.Disposition.values()));
        return Optional.empty();
      }
    });
    int limit = DEFAULT_LIMIT;
    if (params.containsKey("limit")) {
      try {
        limit = Integer.parseInt(params.get("limit"));
        if (limit < 1 || limit > CallRecordStore.MAX_PAGE) {
          problems.add("limit: must be 1 to " + CallRecordStore.MAX_PAGE);
        }
      } catch (NumberFormatException e) {
        problems.add("limit: must be a number");
      }
    }
    Optional<CallRecordStore.Cursor> cursor = Optional.empty();
    if (params.containsKey("cursor")) {
      cursor = CallRecordStore.Cursor.decode(params.get("cursor"))
          .filter(c -> !c.startedAt().isBefore(from) && !c.startedAt().isAfter(to));
      if (cursor.isEmpty()) {
        problems.add("cursor: not a cursor this API returned for this from and to");
      }
    }
    String format = params.getOrDefault("format", "json");
    if (!format.equals("json") && !format.equals("csv")) {
      problems.add("format: must be json or csv");
    }
    if (!problems.isEmpty()) {
      return complete(ApiErrors.response(StatusCodes.BAD_REQUEST, String.join("; ", problems)));
    }
    Optional<String> extension = Optional.ofNullable(params.get("extension")).filter(e -> !e.isBlank());
    if (format.equals("csv")) {
      CallRecordStore.Query query = new CallRecordStore.Query(tenant, from, to, extension, disposition,
          CallRecordStore.MAX_PAGE, cursor);
      return onSuccess(export(query, new ArrayList<>(), 1), export -> complete(csv(export)));
    }
    CallRecordStore.Query query = new CallRecordStore.Query(tenant, from, to, extension, disposition, limit, cursor);
    return onSuccess(store.list(query), page -> {
      ObjectNode body = JSON.objectNode();
      ArrayNode calls = body.putArray("calls");
      page.records().forEach(r -> calls.add(recordJson(r)));
      page.next().ifPresent(next -> body.put("nextCursor", next.encode()));
      return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
          body.toString())));
    });
  }

  /** What an export found, and where it stopped if it could not read everything in one request. */
  record Export(List<CallRecord> records, Optional<CallRecordStore.Cursor> next) {}

  private CompletionStage<Export> export(CallRecordStore.Query query, List<CallRecord> collected, int pages) {
    return store.list(query).thenCompose(page -> {
      collected.addAll(page.records());
      if (page.next().isEmpty() || collected.size() >= MAX_EXPORT || pages >= MAX_EXPORT_PAGES) {
        return CompletableFuture.completedFuture(new Export(collected, page.next()));
      }
      return export(new CallRecordStore.Query(query.tenantId(), query.from(), query.to(), query.extension(),
          query.disposition(), query.limit(), page.next()), collected, pages + 1);
    });
  }

  private Route one(String tenant, String callId) {
    // The tenant is checked before the journal is read: another tenant's call costs no more than
    // an unknown one.
    CompletionStage<ObjectNode> body = store.get(tenant, callId).thenCompose(record -> {
      CompletionStage<Boolean> ours = record.isPresent() ? CompletableFuture.completedFuture(true)
          : history.tenantOf(callId).thenApply(t -> t.filter(tenant::equals).isPresent());
      return ours.thenCompose(visible -> !visible ? CompletableFuture.<ObjectNode>completedFuture(null)
          : history.of(callId).thenApply(events -> detail(tenant, callId, record, events)));
    });
    return onSuccess(body, json -> json == null
        ? complete(ApiErrors.response(StatusCodes.NOT_FOUND, "no call " + callId))
        : complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            json.toString()))));
  }

  private static ObjectNode detail(String tenant, String callId, Optional<CallRecord> record,
                                   List<CallHistory.Entry> events) {
    ObjectNode json = JSON.objectNode();
    json.put("callId", callId);
    json.put("tenantId", tenant);
    boolean ended = events.stream().anyMatch(e -> e.event() instanceof CallEvent.CallEnded);
    json.put("state", ended ? "ended" : "in-progress");
    record.ifPresent(r -> json.set("record", recordJson(r)));
    ArrayNode list = json.putArray("events");
    for (CallHistory.Entry e : events) {
      ObjectNode entry = list.addObject();
      entry.put("sequenceNr", e.sequenceNr());
      entry.put("timestamp", e.timestamp().toString());
      entry.put("type", e.event().getClass().getSimpleName());
      entry.set("data", RecordJson.of(e.event()));
    }
    return json;
  }

  static ObjectNode recordJson(CallRecord r) {
    ObjectNode json = (ObjectNode) RecordJson.of(r);
    json.put("durationSeconds", r.duration().toSeconds());
    json.put("billableSeconds", r.billableSeconds());
    json.put("sipStatus", r.cause().sipStatus());
    json.put("q850Cause", r.cause().q850Cause());
    return json;
  }

  static final List<String> CSV_COLUMNS = List.of("call_id", "direction", "caller", "caller_name", "callee",
      "callee_name", "dialled", "started_at", "answered_at", "ended_at", "duration_seconds", "billable_seconds",
      "disposition", "cause", "sip_status", "q850_cause", "transfer_chain");

  /**
   * The CSV, with {@code X-Next-Cursor} when the export stopped before the end of the range (a
   * cut-off export must never look complete): ask again with {@code cursor=} that value.
   */
  static HttpResponse csv(Export export) {
    HttpResponse response = csv(export.records());
    return export.next().map(next -> response.addHeader(
            org.apache.pekko.http.javadsl.model.headers.RawHeader.create("X-Next-Cursor", next.encode())))
        .orElse(response);
  }

  static HttpResponse csv(List<CallRecord> records) {
    StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (CallRecord r : records) {
      List<String> row = List.of(r.callId(), r.direction().name(), r.caller().address(), r.caller().displayName(),
          r.callee().address(), r.callee().displayName(), r.dialled(), r.startedAt().toString(),
          r.answeredAt().map(Instant::toString).orElse(""), r.endedAt().toString(),
          Long.toString(r.duration().toSeconds()), Long.toString(r.billableSeconds()), r.disposition().name(),
          r.cause().name(), Integer.toString(r.cause().sipStatus()), Integer.toString(r.cause().q850Cause()),
          String.join(" ", r.transferChain()));
      out.append(String.join(",", row.stream().map(CallRoutes::csvField).toList())).append("\r\n");
    }
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8, out.toString()))
        .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", "calls.csv")));
  }

  /**
   * RFC 4180 quoting; a field a spreadsheet would run as a formula (=, +, -, @) is prefixed with a
   * quote mark so that an exported caller name cannot inject one (OWASP CSV injection).
   */
  static String csvField(String value) {
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("[+-]?[0-9]+")
        ? "'" + value : value;
    return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
        ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
  }

  /** Records are kept for calls between these; instants outside are a mistake (and overflow). */
  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static Optional<Instant> instant(Map<String, String> params, String name, List<String> problems) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      Instant instant = Instant.parse(value);
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        problems.add(name + ": must be between " + EARLIEST + " and " + LATEST);
        return Optional.empty();
      }
      return Optional.of(instant);
    } catch (DateTimeParseException e) {
      problems.add(name + ": must be an ISO-8601 instant such as 2026-11-24T10:00:00Z");
      return Optional.empty();
    }
  }
}
