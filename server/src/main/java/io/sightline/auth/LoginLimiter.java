package io.sightline.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: at most {@code perEmail} failed sign-ins per email and {@code perClient} per
 * client address within a fixed window that starts at the first failure. Each attempt is counted before its
 * password is checked, so parallel guesses are counted too; a success takes its own attempt back and clears the
 * email's count. In memory (each instance counts its own) and bounded: past {@value #MAX_KEYS} keys, windows
 * that have ended go first, then the oldest.
 */
public final class LoginLimiter {
    static final int MAX_KEYS = 10_000;

    private static final class Window {
        final Instant start;
        int attempts;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Clock clock;
    private final Duration window;
    private final int perEmail;
    private final int perClient;
    private final Map<String, Window> emails = new ConcurrentHashMap<>();
    private final Map<String, Window> clients = new ConcurrentHashMap<>();

    public LoginLimiter(Clock clock, Duration window, int perEmail, int perClient) {
        this.clock = clock;
        this.window = window;
        this.perEmail = perEmail;
        this.perClient = perClient;
    }

    /** Counts an attempt, or refuses it with the seconds until the window ends when a limit is used up. */
    public synchronized void attempt(String email, String client) {
        Instant now = clock.instant();
        Window byEmail = current(emails, email, now);
        Window byClient = current(clients, client, now);
        long wait = Math.max(byEmail.attempts >= perEmail ? secondsLeft(byEmail, now) : 0,
                byClient.attempts >= perClient ? secondsLeft(byClient, now) : 0);
        if (wait > 0) {
            throw new AuthError(AuthError.Reason.TOO_MANY_ATTEMPTS, null,
                    "too many failed sign-ins; retry after the Retry-After delay", (int) wait);
        }
        byEmail.attempts++;
        byClient.attempts++;
    }

    /** A sign-in succeeded: its attempt was no guess. */
    public synchronized void succeeded(String email, String client) {
        emails.remove(email);
        Window byClient = clients.get(client);
        if (byClient != null && byClient.attempts > 0) {
            byClient.attempts--;
        }
    }

    private Window current(Map<String, Window> windows, String key, Instant now) {
        Window w = windows.get(key);
        if (w == null || !w.start.plus(window).isAfter(now)) {
            if (w == null && windows.size() >= MAX_KEYS) {
                makeRoom(windows, now);
            }
            w = new Window(now);
            windows.put(key, w);
        }
        return w;
    }

    private void makeRoom(Map<String, Window> windows, Instant now) {
        windows.values().removeIf(w -> !w.start.plus(window).isAfter(now));
        if (windows.size() >= MAX_KEYS) {
            windows.entrySet().stream().min(Map.Entry.comparingByValue((a, b) -> a.start.compareTo(b.start)))
                    .ifPresent(oldest -> windows.remove(oldest.getKey()));
        }
    }

    private long secondsLeft(Window w, Instant now) {
        return Math.max(1, Duration.between(now, w.start.plus(window)).toSeconds() + 1);
    }
}
