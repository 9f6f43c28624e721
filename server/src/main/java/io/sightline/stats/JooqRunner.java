package io.sightline.stats;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs jOOQ queries (PostgreSQL dialect, no code generation) on a connection of the pool. jOOQ's own logging of
 * statements and bound values is off, and its failures come back as the {@link SQLException} behind them, so the
 * one error mapper can tell "database unavailable" (503) from a fault.
 */
public final class JooqRunner {
    static {
        // jOOQ prints a logo and tips on first use; they are noise in a server log.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    /** Work done with a {@link DSLContext} bound to one connection. */
    public interface Work<T> {
        T run(DSLContext sql) throws SQLException;
    }

    private final DataSource dataSource;
    private final Settings settings;

    public JooqRunner(DataSource dataSource, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.settings = new Settings()
                .withExecuteLogging(false)
                .withRenderFormatted(false)
                .withQueryTimeout(queryTimeoutSeconds);
    }

    public <T> T read(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(DSL.using(c, SQLDialect.POSTGRES, settings));
        } catch (DataAccessException e) {
            SQLException cause = e.getCause(SQLException.class);
            throw cause != null ? cause : new SQLException(e.getMessage(), e);
        }
    }
}
