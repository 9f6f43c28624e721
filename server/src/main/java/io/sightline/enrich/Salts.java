package io.sightline.enrich;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys in force on one UTC day: today's, and yesterday's while it is still kept, so that a visit
 * that crosses midnight stays one visitor and one session.
 */
public record Salts(LocalDate day, DailyKey today, Optional<DailyKey> yesterday) {
    public Salts {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(yesterday, "yesterday");
    }
}
