package io.sightline.sdk;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * The SDK's small state files in the storage folder (visitor id, session, consent): each is a few lines of text,
 * replaced whole through a temporary file and a rename, so a killed process leaves the old or the new version,
 * never half of one.
 */
final class StateFiles {
    private StateFiles() {
    }

    /** The file's lines, or null when it does not exist or cannot be read. */
    static String[] read(File file) {
        if (!file.isFile() || file.length() > 4096) {
            return null;
        }
        try (RandomAccessFile r = new RandomAccessFile(file, "r")) {
            byte[] bytes = new byte[(int) r.length()];
            r.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        } catch (IOException e) {
            return null;
        }
    }

    static void write(File file, String... lines) throws IOException {
        File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp)) {
            out.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        }
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
