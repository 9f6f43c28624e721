package io.sightline.rollup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sightline.testing.TestDatabase;

import javax.sql.DataSource;

/** A small pool over an existing (already migrated) test database, for services tested beside a running server. */
final class PoolOf implements AutoCloseable {
    private final HikariDataSource pool;

    PoolOf(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setPassword(TestDatabase.server().password());
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
