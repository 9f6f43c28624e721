package io.sightline.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * As root, PostgreSQL only runs inside a user namespace. Where the system refuses one (simulated here by an
 * {@code unshare} that always fails, first on the PATH), start-up must stop and say what to do instead.
 */
class RootWithoutUserNamespacesTest {

    @Test
    void refuses_to_start_as_root_without_user_namespaces_and_names_the_fix() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only meaningful when the tests run as root");
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "no-userns-");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path unshare = bin.resolve("unshare");
        Files.writeString(unshare, "#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(unshare, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.sightline.Main"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SIGHTLINE_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("SIGHTLINE_HTTP_PORT", "0");
        builder.environment().remove("SIGHTLINE_DATABASE_URL");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String output = Files.readString(dir.resolve("out.log"));
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("cannot run as root here", "unshare -U",
                "run Sightline as a normal (non-root) user", "SIGHTLINE_DATABASE_URL");
    }
}
