package io.sightline.destinations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code destinations} table and its projection {@code destination_rules}. Credentials are sealed by
 * {@link SecretCipher} before they reach a statement and opened only for an edit and for {@link #enabled()}. Every
 * write rewrites the destination's rows in {@code destination_rules} in the same transaction: one row per rule
 * while the destination is enabled, none otherwise, so a join against that table always sees what the
 * destinations say.
 */
public final class DestinationStore {
    private static final Logger log = LoggerFactory.getLogger(DestinationStore.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, app_id, type, name, enabled, send_client_data, config, secret_names,"
            + " rules, created_at, updated_at";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> RULES = new TypeReference<>() {};

    private final DataSource dataSource;
    private final SecretCipher cipher;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public DestinationStore(DataSource dataSource, SecretCipher cipher, Clock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * A destination being edited, with its credentials in clear, or empty when this server's key cannot open them
     * (written under another {@code SIGHTLINE_SECRET_KEY}).
     */
    public record Current(Destination destination, Optional<Map<String, String>> secrets) {
        @Override
        public String toString() {
            return "Current[" + destination + ", secrets " + secrets.map(Map::keySet) + "]";
        }
    }

    /** Throws {@link DestinationError} ({@code name}) when the app has a destination of that name already. */
    public Destination insert(long appId, DestinationDraft draft) throws SQLException {
        String sql = "INSERT INTO destinations (app_id, type, name, enabled, send_client_data, config, secrets,"
                + " secret_names, rules, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?)"
                + " RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                Timestamp now = Timestamp.from(clock.instant());
                Destination saved;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, appId);
                    ps.setString(2, draft.type().wireName());
                    ps.setString(3, draft.name());
                    ps.setBoolean(4, draft.enabled());
                    ps.setBoolean(5, draft.sendClientData());
                    ps.setString(6, write(draft.values()));
                    ps.setBytes(7, seal(appId, draft));
                    ps.setArray(8, secretNames(c, draft));
                    ps.setString(9, write(rulesJson(draft.rules())));
                    ps.setTimestamp(10, now);
                    ps.setTimestamp(11, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        saved = read(rs);
                    }
                }
                rewriteRules(c, saved);
                return saved;
            });
        }
    }

    public List<Destination> list(long appId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM destinations WHERE app_id = ? ORDER BY id")) {
            ps.setLong(1, appId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Destination> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(read(rs));
                }
                return all;
            }
        }
    }

    /** The app's destination of that id; empty when there is none, or it belongs to another app. */
    public Optional<Destination> find(long appId, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM destinations WHERE app_id = ? AND id = ?")) {
            ps.setLong(1, appId);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Locks the destination, hands it to {@code change} and writes what that returns (the type stays as it was);
     * empty when the app has no such destination. A {@link DestinationError} thrown by {@code change} leaves the
     * row untouched. Locking makes two concurrent edits apply one after the other, so neither is lost.
     */
    public Optional<Destination> update(long appId, long id, Function<Current, DestinationDraft> change)
            throws SQLException {
        String update = "UPDATE destinations SET name = ?, enabled = ?, send_client_data = ?, config = ?::jsonb,"
                + " secrets = ?, secret_names = ?, rules = ?::jsonb, updated_at = ? WHERE id = ? RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                Current current;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + ", secrets FROM destinations WHERE app_id = ? AND id = ? FOR UPDATE")) {
                    ps.setLong(1, appId);
                    ps.setLong(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Destination d = read(rs);
                        current = new Current(d, open(d.appId(), d.name(), d.id(), rs.getBytes("secrets")));
                    }
                }
                DestinationDraft draft = change.apply(current);
                Destination saved;
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    ps.setString(1, draft.name());
                    ps.setBoolean(2, draft.enabled());
                    ps.setBoolean(3, draft.sendClientData());
                    ps.setString(4, write(draft.values()));
                    ps.setBytes(5, seal(appId, draft));
                    ps.setArray(6, secretNames(c, draft));
                    ps.setString(7, write(rulesJson(draft.rules())));
                    ps.setTimestamp(8, Timestamp.from(clock.instant()));
                    ps.setLong(9, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        saved = read(rs);
                    }
                }
                rewriteRules(c, saved);
                return Optional.of(saved);
            });
        }
    }

    /** False when the app has no such destination. Its rules go with it (the foreign key cascades). */
    public boolean delete(long appId, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM destinations WHERE app_id = ? AND id = ?")) {
            ps.setLong(1, appId);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Every enabled destination of every app, with its credentials decrypted: what the delivery worker sends with.
     * One whose credentials this key cannot open is left out with a warning (its id, never a byte of the value), so
     * that it cannot stop the others.
     */
    public List<ActiveDestination> enabled() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + ", secrets FROM destinations WHERE enabled ORDER BY id")) {
            try (ResultSet rs = ps.executeQuery()) {
                List<ActiveDestination> active = new ArrayList<>();
                while (rs.next()) {
                    Destination d = read(rs);
                    Optional<Map<String, String>> secrets = open(d.appId(), d.name(), d.id(), rs.getBytes("secrets"));
                    if (secrets.isEmpty()) {
                        continue;
                    }
                    active.add(new ActiveDestination(d.id(), d.appId(), d.type(), d.name(),
                            new DestinationConfig(d.id(), d.values(), secrets.get(), d.sendClientData()), d.rules()));
                }
                return active;
            }
        }
    }

    /** The ids of destinations whose credentials this server's key cannot open; checked at start. */
    public List<Long> unreadable() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, app_id, name, secrets FROM destinations ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                if (open(rs.getLong("app_id"), rs.getString("name"), rs.getLong("id"), rs.getBytes("secrets")).isEmpty()) {
                    ids.add(rs.getLong("id"));
                }
            }
            return ids;
        }
    }

    private void rewriteRules(Connection c, Destination d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM destination_rules WHERE destination_id = ?")) {
            ps.setLong(1, d.id());
            ps.executeUpdate();
        }
        if (!d.enabled() || d.rules().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO destination_rules"
                + " (destination_id, app_id, match, name, advertising) VALUES (?, ?, ?, ?, ?)")) {
            for (EventRule rule : d.rules()) {
                ps.setLong(1, d.id());
                ps.setLong(2, d.appId());
                ps.setString(3, rule.match());
                ps.setString(4, rule.name());
                ps.setBoolean(5, d.type().advertising());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private byte[] seal(long appId, DestinationDraft draft) {
        try {
            return cipher.seal(json.writeValueAsBytes(draft.secrets()), appId, draft.name());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private Optional<Map<String, String>> open(long appId, String name, long id, byte[] sealed) {
        try {
            return Optional.of(json.readValue(cipher.open(sealed, appId, name), STRINGS));
        } catch (SecretCipher.UnreadableSecrets e) {
            log.warn("The credentials of destination {} cannot be decrypted: {}", id, e.getMessage());
            return Optional.empty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sealed credentials of destination " + id + " are not a JSON object", e);
        }
    }

    private static Array secretNames(Connection c, DestinationDraft draft) throws SQLException {
        return c.createArrayOf("text", new TreeSet<>(draft.secrets().keySet()).toArray());
    }

    private static List<Map<String, String>> rulesJson(List<EventRule> rules) {
        List<Map<String, String>> out = new ArrayList<>();
        for (EventRule r : rules) {
            Map<String, String> one = new java.util.LinkedHashMap<>();
            one.put("match", r.match());
            one.put("name", r.name());
            out.add(one);
        }
        return out;
    }

    private Destination read(ResultSet rs) throws SQLException {
        String type = rs.getString("type");
        List<EventRule> rules = new ArrayList<>();
        for (Map<String, String> r : parse(rs.getString("rules"), RULES)) {
            rules.add(new EventRule(r.get("match"), r.get("name")));
        }
        return new Destination(rs.getLong("id"), rs.getLong("app_id"),
                DestinationType.fromWire(type).orElseThrow(() -> new IllegalStateException("unknown type " + type)),
                rs.getString("name"), rs.getBoolean("enabled"), rs.getBoolean("send_client_data"),
                parse(rs.getString("config"), STRINGS), List.of((String[]) rs.getArray("secret_names").getArray()),
                rules, rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private <T> T parse(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a destinations column does not hold the JSON it was written with", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps and lists of strings are always JSON", e);
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction; a duplicate name is a {@link DestinationError} naming {@code name}. */
    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException e) {
            c.rollback();
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new DestinationError(DestinationError.Reason.NAME_TAKEN, "name",
                        "this app has a destination of that name already");
            }
            throw e;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
