package io.sightline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.event.Event;
import io.sightline.event.EventValidator;
import io.sightline.event.Validation;
import io.sightline.event.ValidationLimits;
import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's commit through the key claim and the direct COPY: each (app, event id) stored once with the row of its
 * earliest copy, only the new rows' bytes reach analytics_events when a batch mixes new and retried ids, and the
 * outbox, the late-day marks and the client data follow the rows actually stored, in each of the claim's four shapes.
 */
class KeyClaimTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final EventValidator VALIDATOR = new EventValidator(ValidationLimits.defaults(), CLOCK);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Database db;
    private static long app;

    @BeforeAll
    static void open() throws Exception {
        db = Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 2);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("INSERT INTO apps (name, write_key) VALUES ('a', 'k') RETURNING id")) {
                r.next();
                app = r.getLong(1);
            }
            // An ad platform that wants placements: it needs ads consent and never takes a bot's event.
            s.execute("WITH d AS (INSERT INTO destinations (app_id, type, name, enabled, config, secrets, secret_names,"
                    + " rules, created_at, updated_at) VALUES (" + app + ", 'meta', 'm', true, '{}', '\\x00', '{}', '[]',"
                    + " now(), now()) RETURNING id)"
                    + " INSERT INTO destination_rules (destination_id, app_id, match, advertising)"
                    + " SELECT id, " + app + ", 'placement', true FROM d");
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void micros_are_what_postgresql_stores_for_the_text_the_copy_carries() throws Exception {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        List<Long> micros = new ArrayList<>();
        long base = Instant.parse("2026-12-07T10:00:00Z").getEpochSecond();
        for (int i = 0; i < 5000; i++) {
            // Every kind of fraction, the ties of rounding to microseconds (…500 ns) among them.
            int nanos = switch (i % 5) {
                case 0 -> random.nextInt(1_000_000_000);
                case 1 -> random.nextInt(1_000_000) * 1000 + 500;
                case 2 -> 999_999_500 + random.nextInt(500);
                case 3 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000) * 1000;
            };
            Instant at = Instant.ofEpochSecond(base + random.nextInt(100_000_000) - 50_000_000, nanos);
            CopyRowEncoder encoder = new CopyRowEncoder();
            encoder.timestamp(at);
            texts.add(encoder.written());
            micros.add(EncodedRows.micros(at));
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM unnest(?::text[], ?::int8[]) AS u (t, us)"
                     + " WHERE t::timestamptz <> timestamptz 'epoch' + us * interval '1 microsecond'")) {
            s.setArray(1, c.createArrayOf("text", texts.toArray()));
            s.setArray(2, c.createArrayOf("int8", micros.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).isZero();
            }
        }
    }

    @Test
    void each_id_is_stored_once_from_its_earliest_copy_and_the_outbox_and_marks_follow_what_was_stored() throws Exception {
        PartitionManager partitions = new PartitionManager(db.dataSource(), CLOCK, Duration.ofDays(7));
        Map<UUID, Instant> expected = new HashMap<>();
        Map<UUID, Boolean> forwarded = new HashMap<>();
        List<UUID> stored = new ArrayList<>();
        try (BatchCommitter committer = new BatchCommitter(db.dataSource(), partitions, LateEventMarks.DEFAULT)) {
            for (int shape = 0; shape < 4; shape++) {
                boolean late = (shape & 2) != 0;
                byte[] clientData = (shape & 1) != 0 ? new byte[] {(byte) shape, 2, 3} : null;
                // Sub-microsecond times, as the JDK's clock gives them.
                Instant now = CLOCK.instant().truncatedTo(ChronoUnit.MILLIS).plusNanos(123_456_789);
                Instant occurred = late ? now.minus(Duration.ofHours(3)) : now.minusSeconds(1);
                List<EventRow> first = new ArrayList<>();
                List<EventRow> second = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    UUID id = UUID.randomUUID();
                    // Ads consent refused, or not given at all (no consent object), in every third event.
                    Boolean ads = i % 6 == 0 ? null : i % 3 != 0;
                    boolean bot = i == 4;
                    Instant at = occurred.plusMillis(i);
                    (i % 2 == 0 ? first : second).add(row(id, at, now, ads, bot, clientData));
                    if (i % 4 == 1) {
                        // A later copy of the same id in the other part, then an earlier one: the earliest wins.
                        (i % 2 == 0 ? second : first).add(row(id, at.plusSeconds(5), now, ads, bot, null));
                        second.add(row(id, at.minusMillis(500), now, ads, bot, null));
                        at = at.minusMillis(500);
                    }
                    // As PostgreSQL stores it: to the microsecond.
                    expected.put(id, Instant.EPOCH.plus(EncodedRows.micros(at), ChronoUnit.MICROS));
                    forwarded.put(id, ads == Boolean.TRUE && !bot);
                    stored.add(id);
                }
                if (!stored.isEmpty() && shape > 0) {
                    // Retries of ids stored by an earlier commit, with a new time (as without occurred_at), in between.
                    for (int i = 0; i < 5; i++) {
                        UUID old = stored.get(i * 3);
                        first.add(i % 2 == 0 ? 0 : first.size() / 2, row(old, now, now, true, false, clientData));
                    }
                }
                committer.commit(List.of(EncodedRows.encode(first, new CopyRowEncoder()),
                        EncodedRows.encode(second, new CopyRowEncoder())));
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM rollup_dirty WHERE app_id = " + app
                            + " AND day = '" + occurred.atZone(java.time.ZoneOffset.UTC).toLocalDate() + "'")) {
                        r.next();
                        assertThat(r.getLong(1)).as("late mark, shape %d", shape).isEqualTo(late ? 1 : 0);
                    }
                    s.execute("DELETE FROM rollup_dirty");
                    if (clientData != null) {
                        try (ResultSet r = s.executeQuery("SELECT count(*) FROM outbox_events o, unnest(o.client_data) d"
                                + " WHERE d = '\\x0" + shape + "0203'::bytea")) {
                            r.next();
                            assertThat(r.getLong(1)).as("client data, shape %d", shape).isEqualTo(7);
                        }
                    }
                }
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            Map<UUID, Instant> rows = new HashMap<>();
            try (ResultSet r = s.executeQuery("SELECT event_id, occurred_at FROM analytics_events")) {
                while (r.next()) {
                    UUID id = r.getObject(1, UUID.class);
                    assertThat(rows.put(id, r.getTimestamp(2).toInstant())).as("second row of %s", id).isNull();
                }
            }
            assertThat(rows).isEqualTo(expected);
            // The outbox names exactly the forwarded events, each by the occurred_at stored with it.
            try (ResultSet r = s.executeQuery("SELECT u.event_id, count(e.event_id) FROM outbox_events o"
                    + " CROSS JOIN LATERAL unnest(o.event_ids, o.occurred_ats) AS u (event_id, occurred_at)"
                    + " LEFT JOIN analytics_events e ON e.event_id = u.event_id AND e.occurred_at = u.occurred_at"
                    + " GROUP BY u.event_id")) {
                Map<UUID, Long> queued = new HashMap<>();
                while (r.next()) {
                    queued.put(r.getObject(1, UUID.class), r.getLong(2));
                }
                forwarded.forEach((id, wanted) -> assertThat(queued.get(id)).as("outbox %s", id).isEqualTo(wanted ? 1L : null));
                assertThat(queued).hasSize((int) forwarded.values().stream().filter(w -> w).count());
            }
        }
    }

    @Test
    void a_custom_name_that_looks_like_array_syntax_is_matched_and_stored_as_sent() throws Exception {
        // Quotes, braces, a comma, a backslash and an unquoted NULL: each means something inside an array literal.
        String name = "Tap \"CTA\" {big},\\ NULL \u00fc";
        long other;
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("INSERT INTO apps (name, write_key) VALUES ('b', 'kb') RETURNING id")) {
                r.next();
                other = r.getLong(1);
            }
            try (PreparedStatement p = c.prepareStatement("WITH d AS (INSERT INTO destinations (app_id, type, name, enabled,"
                    + " config, secrets, secret_names, rules, created_at, updated_at) VALUES (?, 'umami', 'u', true, '{}',"
                    + " '\\x00', '{}', '[]', now(), now()) RETURNING id)"
                    + " INSERT INTO destination_rules (destination_id, app_id, match, advertising) SELECT id, ?, ?, false FROM d")) {
                p.setLong(1, other);
                p.setLong(2, other);
                p.setString(3, "custom:" + name);
                p.executeUpdate();
            }
        }
        UUID id = UUID.randomUUID();
        Event event = ((Validation.Valid) VALIDATOR.validate(MAPPER.valueToTree(Map.of("event_id", id.toString(),
                "type", "custom", "name", name)))).event();
        PartitionManager partitions = new PartitionManager(db.dataSource(), CLOCK, Duration.ofDays(7));
        try (BatchCommitter committer = new BatchCommitter(db.dataSource(), partitions, LateEventMarks.DEFAULT)) {
            committer.commit(List.of(EncodedRows.encode(List.of(new EventRow(other, event, CLOCK.instant(), null, false,
                    Set.of())), new CopyRowEncoder())));
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT e.event_name, o.event_ids[1] FROM analytics_events e"
                     + " LEFT JOIN outbox_events o ON o.app_id = e.app_id WHERE e.app_id = " + other)) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo(name);
            assertThat(r.getObject(2, UUID.class)).isEqualTo(id);
            assertThat(r.next()).isFalse();
        }
    }

    private static EventRow row(UUID id, Instant occurred, Instant received, Boolean ads, boolean bot, byte[] clientData)
            throws Exception {
        String consent = ads == null ? "" : ",\"context\":{\"consent\":{\"ads\":" + ads + "}}";
        Event event = ((Validation.Valid) VALIDATOR.validate(MAPPER.readTree("{\"event_id\":\"" + id
                + "\",\"type\":\"placement\",\"occurred_at\":\"" + occurred + "\"" + consent
                + ",\"properties\":{\"object_id\":\"chair-3\",\"note\":\"tab\\there\"}}"))).event();
        return new EventRow(app, event, received, null, bot, Set.of(), clientData);
    }
}
