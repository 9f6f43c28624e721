package io.sightline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.auth.App;
import io.sightline.auth.AppStore;
import io.sightline.error.NotFound;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static io.sightline.stats.EventConditions.EVENT_TYPE;
import static io.sightline.stats.EventConditions.OCCURRED_AT;
import static io.sightline.stats.EventConditions.SESSION_ID;
import static io.sightline.stats.EventConditions.VISITOR_ID;

/**
 * {@code stats/events}: the latest events of a range, newest first, with the common stats parameters. Only the
 * columns a dashboard shows: never the user id, the IP hash, the hashed traits or the click ids.
 *
 * <p>Bounded work: {@code ORDER BY occurred_at DESC LIMIT n} walks the (app_id, occurred_at) index backwards, newest
 * partition first, and stops after {@code n} matching rows. A filter that matches almost nothing makes that walk
 * cover the whole range, so it runs under the stats query timeout, and at most {@value #MAX_RUNNING} run at once;
 * another waits up to {@value #WAIT_MILLIS} ms for a turn (the usual read takes milliseconds, and a dashboard
 * opened by several people at once should not see a 429), then is answered 429 with Retry-After.
 */
public final class LatestEvents {
    public static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_RUNNING = 4;
    private static final long WAIT_MILLIS = 1000;
    private static final Set<String> PARAMS = Set.of("limit");

    private static final Field<UUID> EVENT_ID = DSL.field(DSL.name("event_id"), SQLDataType.UUID);
    private static final Field<String> EVENT_NAME = DSL.field(DSL.name("event_name"), SQLDataType.VARCHAR);
    private static final Field<String> PROPERTIES = DSL.field("{0}::text", SQLDataType.VARCHAR,
            DSL.field(DSL.name("properties")));
    /** The dimension columns shown, in the answer's order. */
    private static final List<String> SHOWN = List.of("country", "city", "os", "device_model", "browser",
            "app_version");

    /** One event as the API shows it; {@code properties} is the stored JSON object. */
    public record Event(UUID eventId, String type, String name, Instant occurredAt, String visitorId,
                        String sessionId, String country, String city, String os, String deviceModel,
                        String browser, String appVersion, JsonNode properties) {}

    public record Answer(List<Event> events) {}

    private final AppStore apps;
    private final StatsQueryParser parser;
    private final JooqRunner db;
    private final ObjectMapper mapper;
    private final Semaphore running = new Semaphore(MAX_RUNNING);

    public LatestEvents(AppStore apps, StatsQueryParser parser, JooqRunner db, ObjectMapper mapper) {
        this.apps = apps;
        this.parser = parser;
        this.db = db;
        this.mapper = mapper;
    }

    /** Parses the request's parameters for the app ({@code limit} 1-100, default 50) and answers. */
    public Answer latest(long appId, Map<String, List<String>> params) throws SQLException {
        App app = apps.byId(appId).orElseThrow(NotFound::app);
        StatsQuery query = parser.parse(appId, ZoneId.of(app.timeZone()), params, PARAMS);
        int limit = StatsQueryParser.integer(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return new Answer(read(query, limit));
    }

    private List<Event> read(StatsQuery query, int limit) throws SQLException {
        boolean turn;
        try {
            turn = running.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            throw QueryError.busy(MAX_RUNNING + " event lists are already being read; retry after the Retry-After"
                    + " delay", 1);
        }
        try {
            List<Field<?>> columns = new ArrayList<>(List.of(EVENT_ID, EVENT_TYPE, EVENT_NAME, OCCURRED_AT, VISITOR_ID,
                    SESSION_ID));
            SHOWN.forEach(name -> columns.add(DSL.field(DSL.name(name), SQLDataType.VARCHAR)));
            columns.add(PROPERTIES);
            // event_id breaks ties between events of one instant (a batch sent without occurred_at), so that
            // the answer is the same on every read; the index delivers occurred_at's order, only ties are sorted.
            return db.read(sql -> {
                List<Event> events = new ArrayList<>(limit);
                for (Record r : sql.select(columns).from(EventConditions.EVENTS).where(EventConditions.of(query))
                        .orderBy(OCCURRED_AT.desc(), EVENT_ID.desc()).limit(limit).fetch()) {
                    events.add(new Event(r.get(EVENT_ID), r.get(EVENT_TYPE), r.get(EVENT_NAME), r.get(OCCURRED_AT),
                            r.get(VISITOR_ID), r.get(SESSION_ID), r.get(6, String.class), r.get(7, String.class),
                            r.get(8, String.class), r.get(9, String.class), r.get(10, String.class),
                            r.get(11, String.class), properties(r.get(PROPERTIES))));
                }
                return events;
            });
        } finally {
            running.release();
        }
    }

    private JsonNode properties(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            // jsonb text is always valid JSON; this would be a bug, not input.
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }
}
