package io.sightline.bench.load;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Responses by status code. A 503 is counted in its own class and the run continues: the server's
 * {@code Retry-After} asks clients to back off, but a load generator that obeyed would stop measuring the very
 * overload it is meant to show.
 */
public record StatusCounts(SortedMap<Integer, Long> byCode) {

    public StatusCounts {
        byCode = Collections.unmodifiableSortedMap(new TreeMap<>(byCode));
    }

    static StatusCounts of(long[] countsByCode) {
        SortedMap<Integer, Long> byCode = new TreeMap<>();
        for (int code = 0; code < countsByCode.length; code++) {
            if (countsByCode[code] > 0) {
                byCode.put(code, countsByCode[code]);
            }
        }
        return new StatusCounts(byCode);
    }

    public long total() {
        return sum(0, 999);
    }

    public long success() {
        return sum(200, 299);
    }

    public long unavailable() {
        return byCode.getOrDefault(503, 0L);
    }

    public long clientErrors() {
        return sum(400, 499);
    }

    /** 5xx other than 503. */
    public long otherServerErrors() {
        return sum(500, 599) - unavailable();
    }

    /** Neither 2xx, 4xx nor 5xx: redirects, mostly. */
    public long other() {
        return total() - success() - clientErrors() - sum(500, 599);
    }

    private long sum(int from, int to) {
        return byCode.subMap(from, to + 1).values().stream().mapToLong(Long::longValue).sum();
    }
}
