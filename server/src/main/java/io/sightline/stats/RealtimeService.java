package io.sightline.stats;

import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.sightline.stats.EventConditions.OCCURRED_AT;
import static io.sightline.stats.EventConditions.VISITOR_ID;

/**
 * Events and active visitors (distinct visitor ids) of the last 5 and 30 minutes, from raw events, in one scan of
 * the last 30 minutes by the (app_id, occurred_at) index.
 */
public final class RealtimeService {
    private final JooqRunner db;
    private final Clock clock;

    public RealtimeService(JooqRunner db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record Window(int minutes, long events, long visitors) {
    }

    public record Realtime(Instant at, java.util.List<Window> windows) {
    }

    /** {@code query}'s event types and filters apply; its range is ignored. */
    public Realtime realtime(StatsQuery query) throws SQLException {
        Instant now = clock.instant();
        Condition recent = OCCURRED_AT.ge(now.minus(Duration.ofMinutes(5)));
        Condition where = EventConditions.selection(query).and(OCCURRED_AT.ge(now.minus(Duration.ofMinutes(30))))
                .and(OCCURRED_AT.le(now));
        return db.read(sql -> {
            Record r = sql.select(DSL.count().filterWhere(recent), DSL.countDistinct(VISITOR_ID).filterWhere(recent),
                    DSL.count(), DSL.countDistinct(VISITOR_ID)).from(EventConditions.EVENTS).where(where).fetchOne();
            return new Realtime(now, java.util.List.of(new Window(5, r.get(0, Long.class), r.get(1, Long.class)),
                    new Window(30, r.get(2, Long.class), r.get(3, Long.class))));
        });
    }
}
