package io.sightline.sdk;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * Holds the storage folder for one client: two clients (or two processes) appending to and sending one queue
 * would send each event twice and trample the cursor. The operating system releases the lock when the process
 * dies, so a killed app's successor gets it at once.
 */
final class StorageLock implements AutoCloseable {
    private final RandomAccessFile file;
    private final FileLock lock;

    private StorageLock(RandomAccessFile file, FileLock lock) {
        this.file = file;
        this.lock = lock;
    }

    static StorageLock acquire(File dir) throws IOException {
        RandomAccessFile file = new RandomAccessFile(new File(dir, "lock"), "rw");
        FileLock lock;
        try {
            lock = file.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            file.close();
            throw new IllegalStateException("another Sightline client uses the storage folder " + dir
                    + "; build one client per folder and share it");
        }
        return new StorageLock(file, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            file.close();
        }
    }
}
