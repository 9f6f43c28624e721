package io.sightline.store;

import io.sightline.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseTest {

    private static String show(Connection c, String setting) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void runs_with_fsync_and_synchronous_commit_on_although_zonky_defaults_them_off() throws Exception {
        EmbeddedDatabase pg = TestDatabase.server();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void pooled_connections_force_synchronous_commit_even_when_the_server_default_is_off() throws Exception {
        EmbeddedDatabase pg = TestDatabase.server();
        String url = TestDatabase.createDatabase();
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
             Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + url.substring(url.lastIndexOf('/') + 1) + " SET synchronous_commit = off");
        }
        try (Database db = Database.open(url, pg.user(), "", 2); Connection c = db.dataSource().getConnection()) {
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void keeps_its_data_across_a_restart_on_the_same_directory() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restart-");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
