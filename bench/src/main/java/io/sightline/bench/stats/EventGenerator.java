package io.sightline.bench.stats;

import io.sightline.event.DerivedField;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates exactly {@code events} events of one app over the {@code days} days before {@code end}, the same ones
 * for the same seed.
 *
 * <p>Traffic is made of sessions. Each day gets a share of the events that grows over the year (three times as many
 * at the end as at the start), is higher at weekends and a little noisy. A session starts at a local hour drawn from
 * a daily cycle (quiet at night, peaks at lunch and in the evening) in its visitor's country. Its visitor is new
 * with probability {@link #NEW_VISITOR}, otherwise the visitor of an earlier session, preferring recent ones: the
 * preferential attachment of a Yule-Simon process, which gives the Zipf-like return frequency of real visitors.
 *
 * <p>A session walks the AR funnel with drop-off at every step: qr_scan, then a placement (70 %), one or more
 * interactions (75 % of those; tap, rotate or scale, about 3.5 on average), a screenshot (40 %; some are shared, a
 * custom event), and a conversion (25 % after a screenshot, 5 % without). The last session of a day is cut short
 * when the day's share is used up, which is only one more drop-off.
 *
 * <p>Web visitors' ids are derived by the server from a daily salt, so they change every day; app visitors' ids come
 * from the SDK and stay.
 */
final class EventGenerator {
    static final double NEW_VISITOR = 0.45;
    static final double PLACEMENT = 0.70;
    static final double INTERACTION = 0.75;
    static final double SCREENSHOT = 0.40;
    static final double CONVERSION_AFTER_SCREENSHOT = 0.25;
    static final double CONVERSION_WITHOUT_SCREENSHOT = 0.05;
    static final double SHARE = 0.30;

    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    /** Relative activity in each local hour of the day. */
    private static final double[] DIURNAL = {0.5, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 1.6, 2.4, 2.8, 3.0, 3.4,
        4.0, 3.8, 3.2, 3.0, 3.2, 3.8, 4.4, 4.8, 4.6, 3.6, 2.2, 1.1};
    /** Monday to Sunday. */
    private static final double[] WEEKLY = {0.9, 0.88, 0.92, 0.95, 1.05, 1.3, 1.25};
    private static final String[] KINDS = {"tap", "rotate", "scale"};
    private static final Weighted KIND_PICK = new Weighted(new double[] {0.55, 0.30, 0.15});
    private static final Weighted HOUR_PICK = new Weighted(DIURNAL);
    private static final String[] SHARE_CHANNELS = {"instagram", "whatsapp", "messages", "tiktok", "email"};
    private static final Set<DerivedField> WEB_DERIVED = Collections.unmodifiableSet(EnumSet.of(DerivedField.COUNTRY,
            DerivedField.REGION, DerivedField.CITY, DerivedField.OS, DerivedField.OS_VERSION, DerivedField.DEVICE_MODEL,
            DerivedField.DEVICE_TYPE, DerivedField.BROWSER, DerivedField.BROWSER_VERSION, DerivedField.VISITOR_ID,
            DerivedField.SESSION_ID, DerivedField.CONSENT_ADS));

    private final Catalog catalog;
    private final long appId;
    private final long appSeed;
    private final long events;
    private final int days;
    private final long endMs;
    private final SplittableRandom random;

    private int[] sessionVisitors = new int[1024];
    private int sessions;
    private int visitors;

    EventGenerator(Catalog catalog, long appId, long seed, long events, int days, Instant end) {
        if (events < 0 || days < 1) {
            throw new IllegalArgumentException("events must be >= 0 and days >= 1");
        }
        this.catalog = catalog;
        this.appId = appId;
        this.appSeed = Ids.mix(seed * 1_000_003L + appId);
        this.events = events;
        this.days = days;
        this.endMs = end.toEpochMilli();
        this.random = new SplittableRandom(appSeed);
    }

    /** The first instant events may have. */
    Instant start() {
        return Instant.ofEpochMilli(endMs - days * DAY);
    }

    int visitors() {
        return visitors;
    }

    int sessions() {
        return sessions;
    }

    /**
     * Emits the events day by day, each day's in time order: a server stores events about as they happen, so the
     * table's physical order follows time, which is what a range read by the time index meets in production.
     */
    void generate(Consumer<SyntheticEvent> sink) {
        long[] budget = dailyBudgets();
        java.util.List<SyntheticEvent> day = new java.util.ArrayList<>();
        for (int d = 0; d < days; d++) {
            long dayStart = endMs - (days - d) * DAY;
            long left = budget[d];
            while (left > 0) {
                left -= session(d, dayStart, left, day::add);
            }
            day.sort(java.util.Comparator.comparingLong(SyntheticEvent::occurredAtMs));
            day.forEach(sink);
            day.clear();
        }
    }

    /** Events per day: growth over the year times the weekly cycle times ±10 % noise, summing to {@code events}. */
    long[] dailyBudgets() {
        double[] w = new double[days];
        double sum = 0;
        SplittableRandom noise = new SplittableRandom(appSeed ^ 0xDA75L);
        for (int d = 0; d < days; d++) {
            long dayStart = endMs - (days - d) * DAY;
            int weekday = Math.floorMod(Math.floorDiv(dayStart + DAY / 2, DAY) + 3, 7); // epoch day 0 was a Thursday
            w[d] = (1 + 2.0 * d / Math.max(1, days - 1)) * WEEKLY[weekday] * (0.9 + 0.2 * noise.nextDouble());
            sum += w[d];
        }
        long[] budget = new long[days];
        long given = 0;
        for (int d = 0; d < days; d++) {
            budget[d] = (long) Math.floor(events * w[d] / sum);
            given += budget[d];
        }
        for (int d = days - 1; given < events; d = (d - 1 + days) % days) {
            budget[d]++;
            given++;
        }
        return budget;
    }

    /** Emits one session of at most {@code max} events starting on day {@code d}; returns how many it emitted. */
    private int session(int d, long dayStart, long max, Consumer<SyntheticEvent> sink) {
        int number = pickVisitor();
        Visitor v = Visitor.of(catalog, appSeed, number);
        long t = startTime(dayStart, v.country().utcOffsetHours());
        long utcDay = Math.floorDiv(t, DAY);
        String visitorId = v.web() ? Ids.hex128(Ids.mix(appSeed ^ number), Ids.mix(utcDay * 31 + number))
                : Ids.hex128(Ids.mix(appSeed ^ number), Ids.mix(number * 0x9E3779B97F4A7C15L + appSeed));
        Session s = new Session(v, visitorId, Ids.hex64(random.nextLong()), Ids.hex256(appSeed ^ number ^ utcDay * 17),
                release(d, v.releaseLag()), max, sink);
        Content content = catalog.content();
        int code = content.code(random);
        String campaign = content.campaign(code);
        s.emit("qr_scan", t, "{\"qr_code_id\":\"" + content.qrCodeId(code) + "\""
                + (campaign == null ? "" : ",\"campaign\":\"" + campaign + "\"") + "}");
        if (random.nextDouble() >= PLACEMENT) {
            return s.emitted;
        }
        String object = content.object(code, random);
        t += 3_000 + random.nextLong(40_000);
        s.emit("placement", t, "{\"object_id\":\"" + object + "\",\"surface\":\""
                + (random.nextDouble() < 0.8 ? "horizontal" : "vertical") + "\",\"duration_ms\":"
                + (600 + random.nextInt(5_000)) + "}");
        if (random.nextDouble() >= INTERACTION) {
            return s.emitted;
        }
        int interactions = 1 + geometric(0.4, 14);
        for (int i = 0; i < interactions; i++) {
            t += 1_500 + random.nextLong(20_000);
            int kind = KIND_PICK.next(random);
            String value = switch (kind) {
                case 1 -> ",\"value\":" + (15 * (1 + random.nextInt(24)));
                case 2 -> ",\"value\":" + (50 + random.nextInt(250)) / 100.0;
                default -> "";
            };
            s.emit("interaction", t, "{\"object_id\":\"" + object + "\",\"kind\":\"" + KINDS[kind] + "\"" + value + "}");
        }
        boolean screenshot = random.nextDouble() < SCREENSHOT;
        if (screenshot) {
            t += 2_000 + random.nextLong(25_000);
            s.emit("screenshot", t, "{\"object_id\":\"" + object + "\"}");
            if (random.nextDouble() < SHARE) {
                t += 3_000 + random.nextLong(30_000);
                s.emitCustom("share", t, "{\"channel\":\"" + SHARE_CHANNELS[random.nextInt(SHARE_CHANNELS.length)]
                        + "\",\"object_id\":\"" + object + "\"}");
            }
        }
        if (random.nextDouble() < (screenshot ? CONVERSION_AFTER_SCREENSHOT : CONVERSION_WITHOUT_SCREENSHOT)) {
            t += 8_000 + random.nextLong(120_000);
            long cents = Math.min(500_000, Math.round(Math.exp(4.3 + 0.8 * random.nextGaussian()) * 100));
            s.emit("conversion", t, "{\"cta_id\":\"" + content.cta(random) + "\",\"value\":" + cents / 100.0
                    + ",\"currency\":\"" + (v.country().euro() ? "EUR" : "USD") + "\"}");
        }
        return s.emitted;
    }

    private int pickVisitor() {
        int number;
        if (sessions == 0 || random.nextDouble() < NEW_VISITOR) {
            number = visitors++;
        } else {
            double u = random.nextDouble();
            number = sessionVisitors[sessions - 1 - (int) (sessions * u * u)];
        }
        if (sessions == sessionVisitors.length) {
            sessionVisitors = Arrays.copyOf(sessionVisitors, sessions * 2);
        }
        sessionVisitors[sessions++] = number;
        return number;
    }

    /** An instant in [dayStart, dayStart + 24 h) whose local hour in the visitor's country follows the daily cycle. */
    private long startTime(long dayStart, int utcOffsetHours) {
        int utcHour = Math.floorMod(HOUR_PICK.next(random) - utcOffsetHours, 24);
        long t = Math.floorDiv(dayStart, DAY) * DAY + utcHour * HOUR + random.nextLong(HOUR);
        if (t < dayStart) {
            t += DAY;
        }
        return t >= dayStart + DAY ? t - DAY : t;
    }

    /** The release this visitor runs on day {@code d}: the newest one then, less the visitor's lag. */
    private int release(int d, int lag) {
        int newest = (int) ((long) d * Content.RELEASES / days);
        return Math.max(0, newest - lag);
    }

    private int geometric(double p, int cap) {
        int n = 0;
        while (n < cap && random.nextDouble() >= p) {
            n++;
        }
        return n;
    }

    /** The events of one session, until the day's share or the end of the window cuts it short. */
    private final class Session {
        final Visitor visitor;
        final String visitorId;
        final String sessionId;
        final String ipHash;
        final int release;
        final long max;
        final Consumer<SyntheticEvent> sink;
        int emitted;
        boolean cut;

        Session(Visitor visitor, String visitorId, String sessionId, String ipHash, int release, long max,
                Consumer<SyntheticEvent> sink) {
            this.visitor = visitor;
            this.visitorId = visitorId;
            this.sessionId = sessionId;
            this.ipHash = ipHash;
            this.release = release;
            this.max = max;
            this.sink = sink;
        }

        void emit(String type, long t, String properties) {
            emit(type, null, t, properties);
        }

        void emitCustom(String name, long t, String properties) {
            emit("custom", name, t, properties);
        }

        private void emit(String type, String name, long t, String properties) {
            if (cut || emitted >= max || t >= endMs) {
                cut = true;
                return;
            }
            long delay = random.nextDouble() < 0.97 ? 50 + random.nextLong(3_000) : 60_000 + random.nextLong(6 * HOUR);
            long received = Math.max(t, Math.min(endMs, t + delay));
            boolean app = !visitor.web();
            sink.accept(new SyntheticEvent(appId, (random.nextLong() & ~0xF000L) | 0x4000L,
                    (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L, type, name, t, received, sessionId,
                    visitorId, ipHash, visitor, app ? Content.appVersion(release) : null,
                    app ? Content.appBuild(release) : null, properties, app ? Set.of() : WEB_DERIVED));
            emitted++;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "app %d: %,d events over %d days", appId, events, days);
    }
}
