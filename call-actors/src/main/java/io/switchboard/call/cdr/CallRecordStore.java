package io.switchboard.call.cdr;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.switchboard.call.CallLeg;
import io.switchboard.call.CallRecord;
import io.switchboard.call.Direction;
import io.switchboard.call.HangupCause;
import io.switchboard.call.leg.Party;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The call detail records read model in Cassandra: one row per call, partitioned by tenant and UTC
 * day of the call's start so that a time-range listing reads a few partitions newest first, plus
 * a lookup from call id to that row. Writes are upserts of whole rows: replaying a CallEnded (the
 * projection is at-least-once) writes the same row again.
 */
public final class CallRecordStore {
  /** A listing never scans more days than this, whatever range it is asked for. */
  public static final int MAX_DAYS = 366;
  public static final int MAX_PAGE = 500;
  /**
   * A listing reads at most this many rows per request, whatever its filters match: when the
   * budget runs out first, the page ends early with a cursor at the last row read.
   */
  public static final int MAX_SCAN = 5_000;

  private final CassandraSession session;
  private final String keyspace;
  private final CompletionStage<PreparedStatement> insertRecord;
  private final CompletionStage<PreparedStatement> insertIndex;
  private final CompletionStage<PreparedStatement> selectIndex;
  private final CompletionStage<PreparedStatement> selectOne;
  private final CompletionStage<PreparedStatement> selectDay;
  private final CompletionStage<PreparedStatement> selectDayBefore;

  private static final String COLUMNS = "tenant_id, day, started_at, call_id, direction, caller, caller_name, "
      + "callee, callee_name, dialled, answered_at, ended_at, duration_ms, billable_seconds, disposition, cause, "
      + "sip_status, q850_cause, transfer_chain, leg_ids, leg_roles, leg_addresses, leg_statuses";

  public static List<String> createStatements(String keyspace) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".call_records (tenant_id text, day date, started_at timestamp, "
            + "call_id text, direction text, caller text, caller_name text, callee text, callee_name text, "
            + "dialled text, answered_at timestamp, ended_at timestamp, duration_ms bigint, billable_seconds bigint, "
            + "disposition text, cause text, sip_status int, q850_cause int, transfer_chain list<text>, "
            + "leg_ids list<text>, leg_roles list<text>, leg_addresses list<text>, leg_statuses list<text>, "
            + "PRIMARY KEY ((tenant_id, day), started_at, call_id)) "
            + "WITH CLUSTERING ORDER BY (started_at DESC, call_id DESC)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".call_records_by_id (call_id text PRIMARY KEY, tenant_id text, "
            + "day date, started_at timestamp)");
  }

  /** Creates the tables (idempotent) and prepares the statements. */
  public static CompletionStage<CallRecordStore> create(CassandraSession session, String keyspace) {
    CompletionStage<Done> tables = CompletableFuture.completedFuture(Done.getInstance());
    for (String statement : createStatements(keyspace)) {
      tables = tables.thenCompose(d -> session.executeDDL(statement));
    }
    return tables.thenApply(d -> new CallRecordStore(session, keyspace));
  }

  private CallRecordStore(CassandraSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
    this.insertRecord = session.prepare("INSERT INTO " + keyspace + ".call_records (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.insertIndex = session.prepare("INSERT INTO " + keyspace
        + ".call_records_by_id (call_id, tenant_id, day, started_at) VALUES (?, ?, ?, ?)");
    this.selectIndex = session.prepare("SELECT tenant_id, day, started_at FROM " + keyspace
        + ".call_records_by_id WHERE call_id = ?");
    this.selectOne = session.prepare("SELECT " + COLUMNS + " FROM " + keyspace
        + ".call_records WHERE tenant_id = ? AND day = ? AND started_at = ? AND call_id = ?");
    this.selectDay = session.prepare("SELECT " + COLUMNS + " FROM " + keyspace
        + ".call_records WHERE tenant_id = ? AND day = ? AND started_at >= ? AND started_at < ? LIMIT ?");
    this.selectDayBefore = session.prepare("SELECT " + COLUMNS + " FROM " + keyspace
        + ".call_records WHERE tenant_id = ? AND day = ? AND (started_at, call_id) < (?, ?) AND started_at >= ? "
        + "LIMIT ?");
  }

  static LocalDate day(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  public CompletionStage<Done> save(CallRecord r) {
    LocalDate day = day(r.startedAt());
    List<String> ids = r.legs().stream().map(CallRecord.LegSummary::legId).toList();
    List<String> roles = r.legs().stream().map(l -> l.role().name()).toList();
    List<String> addresses = r.legs().stream().map(CallRecord.LegSummary::address).toList();
    List<String> statuses = r.legs().stream().map(l -> l.finalStatus().name()).toList();
    return insertRecord.thenCompose(ps -> session.executeWrite(ps.bind(r.tenantId(), day, r.startedAt(), r.callId(),
            r.direction().name(), r.caller().address(), r.caller().displayName(), r.callee().address(),
            r.callee().displayName(), r.dialled(), r.answeredAt().orElse(null), r.endedAt(),
            r.duration().toMillis(), r.billableSeconds(), r.disposition().name(), r.cause().name(),
            r.cause().sipStatus(), r.cause().q850Cause(), r.transferChain(), ids, roles, addresses, statuses)))
        .thenCompose(d -> insertIndex.thenCompose(ps -> session.executeWrite(ps.bind(r.callId(), r.tenantId(), day,
            r.startedAt()))));
  }

  /** The record of a call of {@code tenantId}; empty for another tenant's call, as for an unknown one. */
  public CompletionStage<Optional<CallRecord>> get(String tenantId, String callId) {
    return selectIndex.thenCompose(ps -> session.selectOne(ps.bind(callId))).thenCompose(index -> {
      if (index.isEmpty() || !index.get().getString("tenant_id").equals(tenantId)) {
        return CompletableFuture.completedFuture(Optional.<CallRecord>empty());
      }
      Row i = index.get();
      return selectOne.thenCompose(ps -> session.selectOne(ps.bind(tenantId, i.getLocalDate("day"),
          i.getInstant("started_at"), callId))).thenApply(row -> row.map(CallRecordStore::read));
    });
  }

  /** What a listing asks for. {@code after} is the cursor of the previous page. */
  public record Query(String tenantId, Instant from, Instant to, Optional<String> extension,
                      Optional<CallRecord.Disposition> disposition, int limit, Optional<Cursor> after) {}

  /** Where a page ended: the last record's start and id (the table's clustering order). */
  public record Cursor(Instant startedAt, String callId) {
    public String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          (startedAt.toEpochMilli() + ":" + callId).getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<Cursor> decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int colon = plain.indexOf(':');
        return Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
            plain.substring(colon + 1)));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  public record Page(List<CallRecord> records, Optional<Cursor> next) {}

  /**
   * Newest first: reads day partitions from {@code to} back to {@code from} until the page is full
   * or {@link #MAX_SCAN} rows were read; {@code next} is present whenever more may match.
   */
  public CompletionStage<Page> list(Query q) {
    LocalDate first = day(q.from());
    LocalDate last = q.after().map(c -> day(c.startedAt())).orElse(day(q.to().minusMillis(1)));
    if (ChronoUnit.DAYS.between(first, last) > MAX_DAYS) {
      first = last.minusDays(MAX_DAYS);
    }
    return collect(q, last, first, new ArrayList<>(), 0);
  }

  private CompletionStage<Page> collect(Query q, LocalDate day, LocalDate first, List<CallRecord> found,
                                        int scanned) {
    if (day.isBefore(first)) {
      return CompletableFuture.completedFuture(new Page(List.copyOf(found), Optional.empty()));
    }
    int budget = MAX_SCAN - scanned;
    boolean cursorDay = q.after().filter(c -> day(c.startedAt()).equals(day)).isPresent();
    CompletionStage<List<Row>> rows = cursorDay
        ? selectDayBefore.thenCompose(ps -> session.selectAll(ps.bind(q.tenantId(), day,
            q.after().get().startedAt(), q.after().get().callId(), q.from(), budget)))
        : selectDay.thenCompose(ps -> session.selectAll(ps.bind(q.tenantId(), day, q.from(),
            q.after().map(Cursor::startedAt).filter(c -> c.isBefore(q.to())).orElse(q.to()), budget)));
    return rows.thenCompose(list -> {
      Optional<Cursor> lastRead = Optional.empty();
      for (Row row : list) {
        CallRecord r = read(row);
        if (matches(q, r)) {
          if (found.size() == q.limit()) {
            CallRecord lastOfPage = found.get(found.size() - 1);
            return CompletableFuture.completedFuture(new Page(List.copyOf(found),
                Optional.of(new Cursor(lastOfPage.startedAt(), lastOfPage.callId()))));
          }
          found.add(r);
        }
        lastRead = Optional.of(new Cursor(r.startedAt(), r.callId()));
      }
      if (list.size() >= budget) {
        return CompletableFuture.completedFuture(new Page(List.copyOf(found), lastRead));
      }
      return collect(q, day.minusDays(1), first, found, scanned + list.size());
    });
  }

  private static boolean matches(Query q, CallRecord r) {
    boolean extension = q.extension().map(e -> e.equals(r.caller().address()) || e.equals(r.callee().address())
        || e.equals(r.dialled()) || r.legs().stream().anyMatch(l -> l.address().equals(e))).orElse(true);
    return extension && q.disposition().map(d -> d == r.disposition()).orElse(true);
  }

  static CallRecord read(Row row) {
    List<String> ids = row.getList("leg_ids", String.class);
    List<String> roles = row.getList("leg_roles", String.class);
    List<String> addresses = row.getList("leg_addresses", String.class);
    List<String> statuses = row.getList("leg_statuses", String.class);
    List<CallRecord.LegSummary> legs = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      legs.add(new CallRecord.LegSummary(ids.get(i), CallLeg.Role.valueOf(roles.get(i)), addresses.get(i),
          CallLeg.Status.valueOf(statuses.get(i))));
    }
    return new CallRecord(row.getString("call_id"), row.getString("tenant_id"),
        Direction.valueOf(row.getString("direction")), new Party(row.getString("caller"), row.getString("caller_name")),
        new Party(row.getString("callee"), row.getString("callee_name")), row.getString("dialled"),
        row.getInstant("started_at"), Optional.ofNullable(row.getInstant("answered_at")), row.getInstant("ended_at"),
        HangupCause.valueOf(row.getString("cause")), CallRecord.Disposition.valueOf(row.getString("disposition")),
        row.getList("transfer_chain", String.class), legs);
  }

  public String keyspace() {
    return keyspace;
  }
}
