package io.sightline.rollup;

import io.sightline.funnel.FunnelCounter;
import io.sightline.funnel.FunnelDefinition;
import io.sightline.funnel.FunnelEvents;
import io.sightline.funnel.FunnelTally;
import io.sightline.store.EventTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The funnel rows of one app's local day (V19__daily_funnels.sql), for every {@link FunnelDefinition#ROLLED}: the
 * day's step-1 events start chains, which may end up to the window after the day's end, so the events are read from
 * the day's start to its end plus the longest window, once, in time order, and counted per definition with the
 * counter the stats query uses. Run inside the day's roll-up transaction.
 */
final class FunnelRollup {
    private static final int FETCH_SIZE = 10_000;
    private static final String READ_SQL = "SELECT " + FunnelEvents.actorKeySql("visitor_id") + ", "
            + FunnelEvents.actorKeySql("session_id") + ", event_type, occurred_at FROM " + EventTable.NAME
            + " WHERE app_id = ? AND occurred_at >= ? AND occurred_at < ? AND event_type = ANY(?) ORDER BY occurred_at";
    private static final String INSERT = "INSERT INTO analytics_daily_funnels"
            + " (app_id, day, definition, level, time_zone, rolled_at, actors, gaps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private FunnelRollup() {
    }

    /**
     * When {@code day}'s funnel rows can be written: once its end plus the longest window lies {@code lateAfter}
     * in the past, since an event stored later than that for the time read is marked late (and then re-rolled).
     */
    static Instant due(LocalDate day, ZoneId zone, Duration lateAfter) {
        return day.plusDays(1).atStartOfDay(zone).toInstant().plus(FunnelDefinition.longestWindow()).plus(lateAfter);
    }

    /** Replaces {@code day}'s funnel rows; returns the actors reaching step 1, over all definitions. */
    static long roll(Connection c, long appId, LocalDate day, ZoneId zone, Instant rolledAt) throws SQLException {
        delete(c, appId, day);
        List<FunnelDefinition> definitions = FunnelDefinition.ROLLED;
        List<FunnelEvents> events = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        for (FunnelDefinition d : definitions) {
            events.add(new FunnelEvents());
            types.addAll(d.steps());
        }
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
        try (PreparedStatement ps = c.prepareStatement(READ_SQL)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end.plus(FunnelDefinition.longestWindow())));
            ps.setArray(4, c.createArrayOf("text", types.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(3);
                    Instant at = rs.getTimestamp(4).toInstant();
                    long micros = TimeUnit.SECONDS.toMicros(at.getEpochSecond()) + at.getNano() / 1_000;
                    for (int i = 0; i < definitions.size(); i++) {
                        FunnelDefinition d = definitions.get(i);
                        long key = rs.getLong(d.sessions() ? 2 : 1);
                        int mask = d.mask(type);
                        if (!rs.wasNull() && mask != 0) {
                            events.get(i).add(key, mask, micros);
                        }
                    }
                }
            }
        }
        long reached = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < definitions.size(); i++) {
                FunnelDefinition d = definitions.get(i);
                FunnelCounter counter = new FunnelCounter(d.steps().size(), d.windowMicros(),
                        TimeUnit.SECONDS.toMicros(end.getEpochSecond()));
                events.get(i).groupTies().feed(counter);
                FunnelTally tally = new FunnelTally(d.steps().size());
                tally.add(counter);
                reached += counter.reached(1);
                for (int k = 1; k <= tally.steps(); k++) {
                    ps.setLong(1, appId);
                    ps.setObject(2, day);
                    ps.setString(3, d.name());
                    ps.setShort(4, (short) k);
                    ps.setString(5, zone.getId());
                    ps.setTimestamp(6, Timestamp.from(rolledAt));
                    ps.setBytes(7, tally.reached(k).toBytes());
                    ps.setBytes(8, tally.gaps(k).toBytes());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        return reached;
    }

    /** Deletes {@code day}'s funnel rows (a day rolled only in part, or before its rows are due, has none). */
    static void delete(Connection c, long appId, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM analytics_daily_funnels WHERE app_id = ? AND day = ?")) {
            ps.setLong(1, appId);
            ps.setObject(2, day);
            ps.executeUpdate();
        }
    }
}
