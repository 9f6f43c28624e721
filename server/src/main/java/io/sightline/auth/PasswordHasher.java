package io.sightline.auth;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Argon2id password hashes, through Spring Security's encoder (Bouncy Castle underneath), with OWASP's parameters:
 * 19 MiB of memory, 2 passes, one lane, a 16-byte salt and a 32-byte hash. Each hash holds its 19 MiB while it
 * runs, so at most {@value #AT_ONCE} run at once: a burst of logins waits here instead of filling a 256 MB heap.
 */
public final class PasswordHasher {
    private static final int AT_ONCE = 2;
    private static final long WAIT_SECONDS = 10;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final Semaphore running = new Semaphore(AT_ONCE, true);
    /**
     * Verified when there is no hash to verify (an unknown email, a user without a password), so that the answer
     * takes as long as a wrong password's and does not tell which emails exist.
     */
    private final String dummy = encoder.encode(Secrets.token("", 16));

    /** The {@code $argon2id$...} string of a password, with a fresh salt. */
    public String hash(String password) {
        return limited(() -> encoder.encode(password));
    }

    /** Whether the password matches the hash; with no hash (null) a dummy is verified and the answer is false. */
    public boolean verify(String password, String hash) {
        boolean matches = limited(() -> encoder.matches(password, hash == null ? dummy : hash));
        return hash != null && matches;
    }

    private interface Work<T> {
        T run();
    }

    private <T> T limited(Work<T> work) {
        try {
            if (!running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw AuthError.busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AuthError.busy();
        }
        try {
            return work.run();
        } finally {
            running.release();
        }
    }
}
