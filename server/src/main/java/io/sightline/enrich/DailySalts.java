package io.sightline.enrich;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Keeps the salts in force for the current UTC day in memory and rotates them. The salt of day D is in use
 * from D 00:00 (as today's) until D 00:00 + retention (as yesterday's, so visits can cross midnight); after
 * that it is no longer used here, and {@link #rotate()} deletes it from the database. Requests read the
 * cached salts; only the first request of a day, or of a server, goes to the database.
 */
public final class DailySalts {
    private static final Logger log = LoggerFactory.getLogger(DailySalts.class);

    private final SaltStore store;
    private final Clock clock;
    private final Duration retention;
    private volatile Cached cached;

    private record Cached(Salts salts, Instant yesterdayUntil) {}

    /** {@code retention} is at least a day, so that a salt outlives its own day. */
    public DailySalts(SaltStore store, Clock clock, Duration retention) {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("salts must be kept for at least a day");
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** The salts for an instant on the server's clock. */
    public Salts at(Instant now) throws SQLException {
        Cached c = cached;
        if (c != null && c.salts().day().equals(day(now))
                && (c.salts().yesterday().isEmpty() || now.isBefore(c.yesterdayUntil()))) {
            return c.salts();
        }
        return load(now);
    }

    /**
     * The scheduled upkeep: makes sure today's and tomorrow's salts exist (so midnight needs no insert),
     * deletes every salt past its retention, and refreshes the cache. Safe on every instance at once.
     */
    public void rotate() throws SQLException {
        Instant now = clock.instant();
        LocalDate today = day(now);
        store.getOrCreate(today);
        store.getOrCreate(today.plusDays(1));
        int deleted = store.deleteUpTo(day(now.minus(retention)));
        if (deleted > 0) {
            log.info("Deleted {} expired visitor salt(s)", deleted);
        }
        load(now);
    }

    private synchronized Salts load(Instant now) throws SQLException {
        LocalDate today = day(now);
        Cached c = cached;
        if (c != null && c.salts().day().equals(today)
                && (c.salts().yesterday().isEmpty() || now.isBefore(c.yesterdayUntil()))) {
            return c.salts();
        }
        DailyKey todayKey = new DailyKey(store.getOrCreate(today));
        LocalDate yesterday = today.minusDays(1);
        Instant yesterdayUntil = yesterday.atStartOfDay(ZoneOffset.UTC).toInstant().plus(retention);
        Optional<DailyKey> yesterdayKey = now.isBefore(yesterdayUntil)
                ? store.find(yesterday).map(DailyKey::new) : Optional.empty();
        Salts salts = new Salts(today, todayKey, yesterdayKey);
        cached = new Cached(salts, yesterdayUntil);
        return salts;
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
