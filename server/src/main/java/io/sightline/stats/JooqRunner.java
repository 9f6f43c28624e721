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

    /**
     * As {@link #read(Work)}, in a read-only transaction whose sorts and hashes may use up to {@code workMemMb} MiB
     * each before spilling to disk ({@code SET LOCAL work_mem}, undone at its end): for the few queries that group
     * hundreds of thousands of rows, bounded so that a handful of them at once stay within memory.
     */
    public <T> T readWithWorkMem(int workMemMb, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                DSLContext sql = DSL.using(c, SQLDialect.POSTGRES, settings);
                // A constant integer, never input: SET does not take bound parameters.
                sql.execute("SET LOCAL work_mem = '" + workMemMb + "MB'");
                T result = work.run(sql);
                c.commit();
                return result;
            } catch (DataAccessException e) {
                c.rollback();
                SQLException cause = e.getCause(SQLException.class);
                throw cause != null ? cause : new SQLException(e.getMessage(), e);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
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
