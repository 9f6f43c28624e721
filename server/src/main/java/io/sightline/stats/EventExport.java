package io.sightline.stats;

import io.sightline.auth.App;
import io.sightline.auth.AppStore;
import io.sightline.error.NotFound;
import io.sightline.store.EventTable;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * {@code events/export}: every stored event of a range and filters, oldest first, with every column except
 * {@code ip_hash}, as CSV or NDJSON. Bots are included (their {@code is_bot} column says so), unlike in stats.
 *
 * <p>Constant memory for any number of rows: a server-side cursor in a read-only transaction hands over
 * {@value #FETCH_SIZE} rows at a time, and lines leave in blocks of about {@value #BLOCK_CHARS} characters as they
 * are read. A block holds whole lines only, so a failure midway can cut the stream only between two lines; the
 * error the exception mapper then appends starts a line of its own. At most {@value #MAX_RUNNING} exports run at
 * once, since each holds a pooled connection (shared with ingestion) for as long as the client reads.
 */
public final class EventExport {
    static final int FETCH_SIZE = 1_000;
    static final int BLOCK_CHARS = 32 * 1024;
    static final int MAX_RUNNING = 2;
    private static final Set<String> PARAMS = Set.of("format");
    /** Timestamps as ISO-8601 text in UTC, whatever the server's zone. */
    private static final String UTC = "SET LOCAL TIME ZONE 'UTC'";
    private static final String COLUMNS = """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = '%s' AND column_name <> 'ip_hash'
            ORDER BY ordinal_position""".formatted(EventTable.NAME);

    /** A parsed export request. */
    public record Request(StatsQuery query, ExportFormat format) {}

    private final AppStore apps;
    private final StatsQueryParser parser;
    private final DataSource dataSource;
    private final Settings settings = new Settings().withExecuteLogging(false).withRenderFormatted(false);
    private final Semaphore running = new Semaphore(MAX_RUNNING);

    public EventExport(AppStore apps, StatsQueryParser parser, DataSource dataSource) {
        this.apps = apps;
        this.parser = parser;
        this.dataSource = dataSource;
    }

    /** Checks the app and parses the parameters; every mistake is thrown before anything is written. */
    public Request parse(long appId, Map<String, List<String>> params) throws SQLException {
        App app = apps.byId(appId).orElseThrow(NotFound::app);
        StatsQuery query = parser.parse(appId, ZoneId.of(app.timeZone()), params, PARAMS);
        return new Request(query, ExportFormat.parse(StatsQueryParser.single(params, "format")));
    }

    /** Writes the events to {@code out} as they are read; returns how many. */
    public long write(Request request, OutputStream out) throws SQLException, IOException {
        if (!running.tryAcquire()) {
            throw QueryError.busy(MAX_RUNNING + " exports are already running; retry after the Retry-After delay", 5);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false); // PgJDBC fetches in chunks only inside a transaction
            try (Statement s = c.createStatement()) {
                s.execute(UTC);
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                long rows = request.format() == ExportFormat.CSV
                        ? csv(c, request.query(), writer) : ndjson(c, request.query(), writer);
                writer.flush();
                return rows;
            } catch (DataAccessException e) {
                SQLException cause = e.getCause(SQLException.class);
                throw cause != null ? cause : new SQLException(e.getMessage(), e);
            } finally {
                c.rollback();
            }
        } finally {
            running.release();
        }
    }

    private long ndjson(Connection c, StatsQuery query, Writer writer) throws IOException {
        Field<String> json = DSL.field("(to_jsonb(e) - 'ip_hash')::text", SQLDataType.VARCHAR);
        Lines lines = new Lines(writer);
        try (Cursor<Record1<String>> cursor = db(c).select(json).from(EventConditions.EVENTS.as("e"))
                .where(condition(query)).orderBy(EventConditions.OCCURRED_AT)
                .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record1<String> row : cursor) {
                lines.block.append(row.value1()).append('\n');
                lines.sent();
            }
        }
        return lines.finish();
    }

    private long csv(Connection c, StatsQuery query, Writer writer) throws SQLException, IOException {
        List<String> names = new ArrayList<>();
        List<Field<String>> fields = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                String type = rs.getString(2);
                names.add(name);
                // jsonb and arrays as JSON text; everything else in PostgreSQL's text form.
                boolean json = type.equals("jsonb") || type.equals("json") || type.equals("ARRAY");
                fields.add(DSL.field(json ? "to_jsonb({0})::text" : "{0}::text", SQLDataType.VARCHAR,
                        DSL.field(DSL.name(name))));
            }
        }
        Lines lines = new Lines(writer);
        CsvLine.append(lines.block, names);
        List<String> values = new ArrayList<>(fields.size());
        try (Cursor<Record> cursor = db(c).select(fields).from(EventConditions.EVENTS)
                .where(condition(query)).orderBy(EventConditions.OCCURRED_AT)
                .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record row : cursor) {
                values.clear();
                for (int i = 0; i < fields.size(); i++) {
                    values.add(row.get(i, String.class));
                }
                CsvLine.append(lines.block, values);
                lines.sent();
            }
        }
        return lines.finish();
    }

    /** The stats selection without its bot exclusion: an export holds every stored event. */
    static Condition condition(StatsQuery query) {
        Condition c = EventConditions.APP_ID.eq(query.appId())
                .and(EventConditions.OCCURRED_AT.ge(query.from()))
                .and(EventConditions.OCCURRED_AT.lt(query.to()));
        if (!query.eventTypes().isEmpty()) {
            c = c.and(EventConditions.EVENT_TYPE.in(query.eventTypes()));
        }
        for (Filter filter : query.filters()) {
            c = c.and(EventConditions.condition(filter));
        }
        return c;
    }

    private DSLContext db(Connection c) {
        return DSL.using(c, SQLDialect.POSTGRES, settings);
    }

    /** Whole lines collected into a block that is written once it is large enough. */
    private static final class Lines {
        final StringBuilder block = new StringBuilder(BLOCK_CHARS + 4096);
        private final Writer writer;
        private long rows;

        Lines(Writer writer) {
            this.writer = writer;
        }

        /** One more row is in the block; writes the block when full. */
        void sent() throws IOException {
            rows++;
            if (block.length() >= BLOCK_CHARS) {
                flush();
            }
        }

        long finish() throws IOException {
            flush();
            return rows;
        }

        private void flush() throws IOException {
            writer.append(block).flush();
            block.setLength(0);
        }
    }
}
