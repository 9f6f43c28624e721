package io.sightline.destinations;

import io.sightline.config.Config;
import io.sightline.config.ConfigException;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretKeyFileTest {
    @Test
    void makes_a_32_byte_key_with_mode_600_on_first_start_and_reads_the_same_key_after(@TempDir Path dir)
            throws Exception {
        SecretKey first = SecretKeyFile.load(Optional.empty(), dir.resolve("data"));
        Path file = dir.resolve("data").resolve("secret.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.getEncoded()).hasSize(32);
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).isEqualTo(first.getEncoded());
        assertThat(SecretKeyFile.load(Optional.empty(), dir.resolve("data")).getEncoded()).isEqualTo(first.getEncoded());
        try (var left = Files.list(dir.resolve("data"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("secret.key");
        }
    }

    @Test
    void refuses_to_start_with_a_key_file_others_may_read(@TempDir Path dir) throws Exception {
        SecretKeyFile.load(Optional.empty(), dir);
        Files.setPosixFilePermissions(dir.resolve("secret.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretKeyFile.load(Optional.empty(), dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_DATA_DIR").hasMessageContaining("rw-r--r--");
        Files.setPosixFilePermissions(dir.resolve("secret.key"), PosixFilePermissions.fromString("rw----rw-"));
        assertThatThrownBy(() -> SecretKeyFile.load(Optional.empty(), dir)).isInstanceOf(ConfigException.class);
        Files.setPosixFilePermissions(dir.resolve("secret.key"), PosixFilePermissions.fromString("r--------"));
        assertThat(SecretKeyFile.load(Optional.empty(), dir).getEncoded()).hasSize(32);
    }

    @Test
    void the_server_does_not_start_over_a_key_file_others_may_read(@TempDir Path dir) throws Exception {
        SecretKeyFile.load(Optional.empty(), dir);
        Files.setPosixFilePermissions(dir.resolve("secret.key"), PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> TestServer.start(Map.of("SIGHTLINE_SECRET_KEY", "", "SIGHTLINE_DATA_DIR",
                dir.toString()), Clock.systemUTC()).close())
                .hasRootCauseInstanceOf(ConfigException.class).rootCause().hasMessageContaining("secret.key");
    }

    @Test
    void refuses_a_key_file_that_holds_no_key(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret.key");
        Files.writeString(file, "c2hvcnQ=\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SecretKeyFile.load(Optional.empty(), dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void the_configured_key_wins_and_no_file_is_written(@TempDir Path dir) {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Config config = Config.load(Map.of("SIGHTLINE_SECRET_KEY", key, "SIGHTLINE_DATA_DIR", dir.toString()));
        assertThat(SecretKeyFile.load(config.forwarding().secretKey(), dir).getEncoded()).isEqualTo(new byte[32]);
        assertThat(dir.resolve("secret.key")).doesNotExist();
    }

    @Test
    void a_bad_secret_key_setting_is_a_start_up_error_naming_the_variable_but_not_the_value() {
        for (String bad : new String[] {"not base64!", Base64.getEncoder().encodeToString(new byte[16])}) {
            assertThatThrownBy(() -> Config.load(Map.of("SIGHTLINE_SECRET_KEY", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("SIGHTLINE_SECRET_KEY")
                    .hasMessageNotContaining(bad);
        }
    }

    @Test
    void platform_base_urls_are_optional_http_urls_named_in_errors() {
        Config config = Config.load(Map.of("SIGHTLINE_META_BASE_URL", "http://127.0.0.1:9123/",
                "SIGHTLINE_GOOGLE_OAUTH_URL", "https://oauth.example/token"));
        assertThat(config.forwarding().metaBaseUrl()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9123));
        assertThat(config.forwarding().googleOauthUrl()).isPresent();
        assertThat(config.forwarding().ga4BaseUrl()).isEmpty();
        for (String variable : new String[] {"SIGHTLINE_META_BASE_URL", "SIGHTLINE_GOOGLE_ADS_BASE_URL",
                "SIGHTLINE_GOOGLE_OAUTH_URL", "SIGHTLINE_GA4_BASE_URL", "SIGHTLINE_LINKEDIN_BASE_URL",
                "SIGHTLINE_X_BASE_URL"}) {
            for (String bad : new String[] {"ftp://example.com", "localhost:8080", "http://", "http://a b"}) {
                assertThatThrownBy(() -> Config.load(Map.of(variable, bad))).as(variable + "=" + bad)
                        .isInstanceOf(ConfigException.class).hasMessageStartingWith(variable);
            }
        }
    }
}
