package io.sightline.rollup;

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
    public List<RolledMonth> rolledMonths(DSLContext sql, long appId, LocalDate first, LocalDate last,
                                          ZoneId zone) {
        List<RolledMonth> months = new ArrayList<>();
        for (Record r : sql.fetch(ROLLED_MONTHS, appId, first, last, zone.getId())) {
            months.add(new RolledMonth(r.get(0, LocalDate.class), r.get(1, OffsetDateTime.class).toInstant()));
        }
        return months;
    }
}
