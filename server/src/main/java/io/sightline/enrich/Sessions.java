package io.sightline.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Derives sessions for events that came without a {@code session_id}: a visitor's events belong to one
 * session while less than the timeout passes between them (by their {@code occurred_at}).
 *
 * <p>State is in memory, bounded by {@code capacity} visitors (least recently seen evicted first), and split
 * into stripes so that request threads rarely wait for each other. About 150 bytes per visitor. Several
 * instances behind a load balancer that is not sticky per client may each start a session for the same
 * visit; clients that send their own {@code session_id} (the SDKs do) are unaffected.
 */
public final class Sessions {
    private static final int STRIPES = 16;

    /** The visitor and session an event belongs to. */
    public record Assignment(String visitorId, String sessionId) {}

    private final long timeoutMillis;
    private final Stripe[] stripes = new Stripe[STRIPES];

    public Sessions(Duration timeout, int capacity) {
        this.timeoutMillis = timeout.toMillis();
        int perStripe = Math.max(1, capacity / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    /**
     * The session of {@code visitorId} at {@code at}. When that visitor has no open session but
     * {@code previousVisitorId} (the same person under yesterday's salt) has one, the visit goes on under
     * the previous id, so a session that crosses midnight stays whole.
     */
    public Assignment assign(long appId, String visitorId, String previousVisitorId, Instant at) {
        long time = at.toEpochMilli();
        String key = appId + ":" + visitorId;
        String open = stripe(key).continueSession(key, time, timeoutMillis);
        if (open != null) {
            return new Assignment(visitorId, open);
        }
        if (previousVisitorId != null) {
            String previousKey = appId + ":" + previousVisitorId;
            open = stripe(previousKey).continueSession(previousKey, time, timeoutMillis);
            if (open != null) {
                return new Assignment(previousVisitorId, open);
            }
        }
        return new Assignment(visitorId, stripe(key).continueOrStart(key, time, timeoutMillis));
    }

    private Stripe stripe(String key) {
        return stripes[(key.hashCode() & 0x7fffffff) % STRIPES];
    }

    private static final class Open {
        final String sessionId;
        long lastSeen;

        Open(String sessionId, long lastSeen) {
            this.sessionId = sessionId;
            this.lastSeen = lastSeen;
        }
    }

    private static final class Stripe {
        private final Map<String, Open> visitors;

        Stripe(int capacity) {
            this.visitors = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized String continueSession(String key, long time, long timeout) {
            Open open = visitors.get(key);
            if (open == null || Math.abs(time - open.lastSeen) >= timeout) {
                return null;
            }
            open.lastSeen = Math.max(open.lastSeen, time);
            return open.sessionId;
        }

        synchronized String continueOrStart(String key, long time, long timeout) {
            String open = continueSession(key, time, timeout);
            if (open != null) {
                return open;
            }
            String id = newSessionId();
            visitors.put(key, new Open(id, time));
            return id;
        }
    }

    /** 64 random bits as 16 hex characters; it identifies a visit, not a person, so it need not be secret. */
    private static String newSessionId() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }
}
