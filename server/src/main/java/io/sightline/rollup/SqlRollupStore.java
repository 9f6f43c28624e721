package io.sightline.rollup;

import io.sightline.funnel.FunnelDefinition;
import io.sightline.store.LateMarkStore;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** {@link RollupStore} over the rollup package's own PostgreSQL tables (V5, V9, V11). */
public final class SqlRollupStore implements RollupStore {
    private static final String ROLLED_DAYS = "SELECT d.day, d.until, d.rolled_at FROM rollup_days d"
            + " WHERE d.app_id = ? AND d.day BETWEEN ? AND ? AND d.time_zone = ?"
            + " AND NOT " + LateMarkStore.markNear("d.app_id", "d.day") + " ORDER BY d.day";
    private static final String ROLLED_MONTHS = "SELECT day, rolled_at FROM rollup_months"
            + " WHERE app_id = ? AND day BETWEEN ? AND ? AND time_zone = ? ORDER BY day";

    @Override
    public List<RolledDay> rolledDays(DSLContext sql, long appId, LocalDate first, LocalDate last, ZoneId zone) {
        List<RolledDay> days = new ArrayList<>();
        for (Record r : sql.fetch(ROLLED_DAYS, appId, first, last, zone.getId())) {
            OffsetDateTime until = r.get(1, OffsetDateTime.class);
            days.add(new RolledDay(r.get(0, LocalDate.class), until == null ? null : until.toInstant(),
                    r.get(2, OffsetDateTime.class).toInstant()));
        }
        return days;
    }

    @Override
    public List<FunnelDay> funnelDays(DSLContext sql, long appId, FunnelDefinition definition, LocalDate first,
                                      LocalDate last, ZoneId zone) {
        // A local day spans the UTC dates from the one before it to the one after; its rows read a window further.
        int daysAfter = 1 + (int) ((definition.window().toSeconds() + 86_399) / 86_400);
        String query = "SELECT f.day, f.level, f.actors, f.gaps FROM analytics_daily_funnels f"
                + " WHERE f.app_id = ? AND f.definition = ? AND f.day BETWEEN ? AND ? AND f.time_zone = ?"
                + " AND NOT " + LateMarkStore.markNear("f.app_id", "f.day", daysAfter) + " ORDER BY f.day, f.level";
        int steps = definition.steps().size();
        List<FunnelDay> days = new ArrayList<>();
        FunnelDay current = null;
        int levels = 0;
        for (Record r : sql.fetch(query, appId, definition.name(), first, last, zone.getId())) {
            LocalDate day = r.get(0, LocalDate.class);
            int level = r.get(1, Integer.class);
            if (current == null || !current.day().equals(day)) {
                if (current != null && levels == steps) {
                    days.add(current);
                }
                current = new FunnelDay(day, new byte[steps][], new byte[steps][]);
                levels = 0;
            }
            if (level >= 1 && level <= steps) {
                current.actors()[level - 1] = r.get(2, byte[].class);
                current.gaps()[level - 1] = r.get(3, byte[].class);
                levels++;
            }
        }
        if (current != null && levels == steps) {
            days.add(current);
        }
        return days;
    }

    @Override
    public List<RolledMonth> rolledMonths(DSLContext sql, long appId, LocalDate first, LocalDate last,
                                          ZoneId zone) {
        List<RolledMonth> months = new ArrayList<>();
        for (Record r : sql.fetch(ROLLED_MONTHS, appId, first, last, zone.getId())) {
            months.add(new RolledMonth(r.get(0, LocalDate.class), r.get(1, OffsetDateTime.class).toInstant()));
        }
        return months;
    }
}
