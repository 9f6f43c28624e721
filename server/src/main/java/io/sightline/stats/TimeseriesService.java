package io.sightline.stats;

import io.sightline.rollup.RollupStore;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.sightline.stats.QueryError.Reason.TOO_MANY_BUCKETS;

/**
 * Events, visitors and sessions per time bucket in the requested zone; every bucket of the range is listed, empty
 * ones with zeros, each with its local start and the zone's offset at that start. Hourly buckets are hours of real
 * time, read raw: when clocks go back the repeated local hour is two buckets with the same local start and their
 * own offsets, and when they go forward the skipped hour is no bucket. Day, week and month buckets are local
 * calendar units (a day may last 23 or 25 hours) and take their whole rolled days from the rollups. In a bucket
 * mixing rolled and raw days, uniques are the union of both (one visitor counts once).
 */
public final class TimeseriesService {
    public static final int MAX_BUCKETS = 1_500;

    private final JooqRunner db;
    private final DamagedRollups damaged;
    private final RollupStore rollups;

    public TimeseriesService(JooqRunner db, DamagedRollups damaged, RollupStore rollups) {
        this.db = db;
        this.damaged = damaged;
        this.rollups = rollups;
    }

    /** {@code start} is local time; {@code start} followed by {@code offset} is the bucket's ISO 8601 instant. */
    public record Bucket(LocalDateTime start, String offset, long events, long visitors, long sessions) {
    }

    public record Timeseries(String timeZone, String interval, List<Bucket> buckets, int rolledDays,
                             int rolledMonths) {
    }

    public Timeseries timeseries(StatsQuery query, Interval interval) throws SQLException {
        if (interval == Interval.HOUR) {
            return hourly(query);
        }
        List<LocalDateTime> starts = buckets(query, interval);
        // The zone is bound; RawReader groups by the derived column, so GROUP BY does not repeat the parameter.
        Field<LocalDateTime> bucket = DSL.field("date_trunc({0}, {1})", SQLDataType.LOCALDATETIME,
                DSL.inline(interval.wireName()), localTime(query.zone()));
        return damaged.read(db, sql -> {
            ReadPlan plan = ReadPlanner.plan(sql, rollups, query, Optional.empty(), interval.wholeDays(),
                    interval == Interval.MONTH, damaged);
            Map<LocalDateTime, Tally> byBucket;
            if (plan.usesRollups()) {
                byBucket = new HashMap<>();
                if (interval == Interval.DAY && query.eventTypes().size() <= 1) {
                    // One rolled row per day bucket (no months with daily buckets; one event type or all): its own
                    // stored counts answer it, no sketch to read. Raw days are other buckets.
                    RollupReader.addOwnCounts(sql, query, plan, row -> row.day().atStartOfDay(), byBucket);
                } else {
                    RollupReader.add(sql, query, plan, null, row -> interval.truncate(row.day().atStartOfDay()),
                            byBucket);
                }
                if (!plan.raw().isEmpty()) {
                    RawReader.ids(sql, EventConditions.of(query, plan.raw()), bucket, byBucket);
                }
            } else {
                byBucket = RawReader.exact(sql, EventConditions.of(query, plan.raw()), bucket).byKey();
            }
            List<Bucket> answer = new ArrayList<>(starts.size());
            for (LocalDateTime start : starts) {
                Tally t = byBucket.getOrDefault(start, new Tally());
                ZoneOffset offset = query.zone().getRules().getOffset(start.atZone(query.zone()).toInstant());
                answer.add(new Bucket(start, offset.getId(), t.events(), t.visitors(), t.sessions()));
            }
            return new Timeseries(query.zone().getId(), interval.wireName(), answer, plan.rolledDayCount(),
                    plan.rolledMonths().size());
        });
    }

    /**
     * One bucket per hour of real time from the local hour holding {@code from}: keyed in SQL by the instant the
     * event's local hour began (its time less the minutes and seconds into that hour), so the two 02:00 hours of a
     * night when clocks go back stay apart. Buckets are whole real hours wherever offsets change by whole hours (all
     * zones in use but Australia/Lord_Howe, whose half-hour shift folds into the hour before).
     */
    private Timeseries hourly(StatsQuery query) throws SQLException {
        ZoneId zone = query.zone();
        List<ZonedDateTime> starts = new ArrayList<>();
        for (ZonedDateTime b = query.from().atZone(zone).truncatedTo(ChronoUnit.HOURS); b.toInstant().isBefore(query.to());
             b = b.plusHours(1)) {
            if (starts.size() == MAX_BUCKETS) {
                throw tooManyBuckets();
            }
            starts.add(b);
        }
        Field<LocalDateTime> local = localTime(zone);
        Field<Instant> hour = DSL.field("({0} - ({1} - date_trunc('hour', {1})))", SQLDataType.INSTANT,
                EventConditions.OCCURRED_AT, local);
        Map<Instant, Tally> byHour = db.read(sql -> RawReader.exact(sql, EventConditions.of(query), hour).byKey());
        TreeMap<Instant, Tally> listed = new TreeMap<>();
        starts.forEach(start -> listed.put(start.toInstant(), new Tally()));
        // A key between listed hours (only around a half-hour shift) joins the hour before it: no event is dropped.
        byHour.forEach((key, tally) -> {
            Map.Entry<Instant, Tally> into = listed.floorEntry(key);
            Tally bucket = into == null ? listed.firstEntry().getValue() : into.getValue();
            bucket.addExact(tally.events(), tally.visitors(), tally.sessions());
        });
        List<Bucket> answer = new ArrayList<>(starts.size());
        for (ZonedDateTime start : starts) {
            Tally t = listed.get(start.toInstant());
            answer.add(new Bucket(start.toLocalDateTime(), start.getOffset().getId(), t.events(), t.visitors(),
                    t.sessions()));
        }
        return new Timeseries(zone.getId(), Interval.HOUR.wireName(), answer, 0, 0);
    }

    /**
     * {@code occurred_at} as local time in {@code zone}. A fixed offset (an app whose time_zone is "+02:00") goes in
     * as an interval: PostgreSQL would read the text '+02:00' with the POSIX sign, the wrong way round.
     */
    private static Field<LocalDateTime> localTime(ZoneId zone) {
        if (zone.normalized() instanceof ZoneOffset offset) {
            return DSL.field("({0} AT TIME ZONE make_interval(secs => {1}))", SQLDataType.LOCALDATETIME,
                    EventConditions.OCCURRED_AT, DSL.val((double) offset.getTotalSeconds()));
        }
        return DSL.field("({0} AT TIME ZONE {1})", SQLDataType.LOCALDATETIME, EventConditions.OCCURRED_AT,
                DSL.val(zone.getId()));
    }

    private static List<LocalDateTime> buckets(StatsQuery query, Interval interval) {
        LocalDateTime first = interval.truncate(LocalDateTime.ofInstant(query.from(), query.zone()));
        LocalDateTime last = interval.truncate(LocalDateTime.ofInstant(query.to().minusNanos(1), query.zone()));
        List<LocalDateTime> starts = new ArrayList<>();
        for (LocalDateTime b = first; !b.isAfter(last); b = interval.next(b)) {
            if (starts.size() == MAX_BUCKETS) {
                throw tooManyBuckets();
            }
            starts.add(b);
        }
        return starts;
    }

    private static QueryError tooManyBuckets() {
        return new QueryError(TOO_MANY_BUCKETS, "at most " + MAX_BUCKETS + " buckets; choose a shorter"
                + " range or a longer interval", "interval");
    }
}
