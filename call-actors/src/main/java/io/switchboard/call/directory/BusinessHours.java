package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A business-hours calendar: weekly open ranges in a time zone, and holidays closed all day.
 * Wall-clock times in the zone are what count, so a range keeps its local hours across DST changes.
 */
public record BusinessHours(String calendarId, String name, ZoneId timeZone, Map<DayOfWeek, List<OpenRange>> weekly,
                            SortedSet<LocalDate> holidays) implements ProtobufSerializable {

  public BusinessHours {
    EnumMap<DayOfWeek, List<OpenRange>> days = new EnumMap<>(DayOfWeek.class);
    weekly.forEach((day, ranges) -> {
      if (!ranges.isEmpty()) {
        days.put(day, List.copyOf(ranges));
      }
    });
    weekly = java.util.Collections.unmodifiableMap(days);
    holidays = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(holidays));
  }

  public static BusinessHours of(String calendarId, String name, ZoneId timeZone,
                                 Map<DayOfWeek, List<OpenRange>> weekly, Set<LocalDate> holidays) {
    return new BusinessHours(calendarId, name, timeZone, weekly, new TreeSet<>(holidays));
  }

  /**
   * Open from {@code opens} (inclusive) to {@code closes} (exclusive) on one day;
   * {@code closes} = 00:00 means the end of the day (24:00).
   */
  public record OpenRange(LocalTime opens, LocalTime closes) {
    public boolean contains(LocalTime time) {
      return !time.isBefore(opens) && (closes.equals(LocalTime.MIDNIGHT) || time.isBefore(closes));
    }

    public boolean isEmpty() {
      return !closes.equals(LocalTime.MIDNIGHT) && !opens.isBefore(closes);
    }

    boolean overlaps(OpenRange other) {
      LocalTime end = closes.equals(LocalTime.MIDNIGHT) ? LocalTime.MAX : closes;
      LocalTime otherEnd = other.closes.equals(LocalTime.MIDNIGHT) ? LocalTime.MAX : other.closes;
      return opens.isBefore(otherEnd) && other.opens.isBefore(end);
    }
  }

  public boolean isOpenAt(Instant at) {
    ZonedDateTime local = at.atZone(timeZone);
    if (holidays.contains(local.toLocalDate())) {
      return false;
    }
    return weekly.getOrDefault(local.getDayOfWeek(), List.of()).stream()
        .anyMatch(range -> range.contains(local.toLocalTime()));
  }
}
