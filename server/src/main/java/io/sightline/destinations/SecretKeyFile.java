package io.sightline.destinations;

import io.sightline.config.ConfigException;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The key that encrypts destination credentials, kept out of the database so that a dump or a backup of it does not
 * hand the credentials over: {@code SIGHTLINE_SECRET_KEY} when set, otherwise {@code secret.key} in the data
 * directory, made on first start with mode 600 as the embedded PostgreSQL's password file is. A key file that group
 * or others may read or write stops the start: a key anyone on the machine can read protects nothing.
 *
 * <p>Several instances over one external database must share one key: set {@code SIGHTLINE_SECRET_KEY} there.
 */
public final class SecretKeyFile {
    static final String NAME = "secret.key";
    private static final String VARIABLE = "SIGHTLINE_DATA_DIR";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private SecretKeyFile() {
    }

    /** The configured key, or the one in {@code dataDirectory/secret.key} (made when missing). */
    public static SecretKey load(Optional<SecretKeySpec> configured, Path dataDirectory) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dataDirectory.resolve(NAME);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            return read(file);
        } catch (IOException e) {
            throw new ConfigException(VARIABLE, "could not read or create " + file + ": " + e.getMessage());
        }
    }

    private static SecretKey read(Path file) throws IOException {
        if (posix()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new ConfigException(VARIABLE, file + " may be read or written by others (mode "
                        + PosixFilePermissions.toString(perms) + "); run chmod 600 on it, or set SIGHTLINE_SECRET_KEY");
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new ConfigException(VARIABLE, file + " does not hold a base64 key");
        }
        if (key.length != 32) {
            throw new ConfigException(VARIABLE, file + " must hold the base64 of 32 bytes, it holds " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    /**
     * Writes a fresh key to a private temporary file, then links it into place: the link fails when another process
     * made the file in the meantime, whose key then wins, so two instances starting together agree on one key.
     */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // On POSIX file systems the JDK makes temporary files with mode 600.
        Path tmp = Files.createTempFile(file.getParent(), NAME, ".tmp");
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another instance made it first: use its key
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
