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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void pooled_connections_force_synchronous_commit_even_when_the_server_default_is_off() throws Exception {
        EmbeddedDatabase pg = TestDatabase.server();
        String url = TestDatabase.createDatabase();
        try (Connection admin = TestDatabase.connect(url);
             Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + url.substring(url.lastIndexOf('/') + 1) + " SET synchronous_commit = off");
        }
        try (Database db = Database.open(url, pg.user(), pg.password(), 2); Connection c = db.dataSource().getConnection()) {
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void refuses_connections_without_the_password_kept_readable_only_by_its_owner() throws Exception {
        EmbeddedDatabase pg = TestDatabase.server();
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "").close())
                .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("SCRAM");
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close())
                .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("password authentication failed");
        Path passwordFile = TestDatabase.directory().resolve("postgres-password");
        assertThat(java.nio.file.Files.getPosixFilePermissions(passwordFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void leaves_no_binary_or_directory_writable_by_other_users() throws Exception {
        TestDatabase.server();
        try (java.util.stream.Stream<Path> paths = Files.walk(TestDatabase.directory().resolve("pg-runtime"))) {
            assertThat(paths.filter(p -> !Files.isSymbolicLink(p)).filter(p -> {
                try {
                    var perms = Files.getPosixFilePermissions(p);
                    return perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)
                            || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).isEmpty();
        }
    }

    @Test
    void converts_a_cluster_that_trusted_everyone_to_password_authentication() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "trusting-");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir, 0)) {
            Files.writeString(dir.resolve("postgres/pg_hba.conf"), "host all all 127.0.0.1/32 trust\nlocal all all trust\n");
            try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password());
                 Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir, 0)) {
            assertThatThrownBy(() -> DriverManager.getConnection(second.jdbcUrl(), second.user(), "wrong").close())
                    .hasMessageContaining("password authentication failed");
            try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password())) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void keeps_its_data_across_a_restart_on_the_same_directory() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restart-");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
