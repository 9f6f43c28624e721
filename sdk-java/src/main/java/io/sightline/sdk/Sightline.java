package io.sightline.sdk;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Sightline's client for JVM and Android apps. Build one per app (per storage folder) and share it; every method
 * may be called from any thread.
 *
 * <p>A tracking call only captures the event and adds it to an in-memory queue (a few hundred nanoseconds); a
 * writer thread gives it an id, a visitor and a session and appends it to an on-disk queue, and a sender thread
 * posts batches to {@code /api/v1/analytics/batch}, retrying with the same ids until the server has answered.
 * See the README, "JVM and Android SDK", for the guarantees.
 */
public final class Sightline implements Closeable {
    private final SightlineBuilder settings;
    private final StorageLock lock;
    private final DiskQueue disk;
    private final DiskWriter writer;
    private final Sender sender;
    private final Counters counters;
    private final File dir;
    private final String visitorId;
    private volatile String userId;
    private volatile boolean analyticsConsent;
    private volatile Boolean adsConsent;
    private volatile boolean closed;

    private Sightline(SightlineBuilder settings, StorageLock lock, DiskQueue disk, Counters counters,
                      String visitorId, Sessions sessions) throws IOException {
        this.settings = settings;
        this.lock = lock;
        this.disk = disk;
        this.counters = counters;
        this.dir = settings.storage;
        this.visitorId = visitorId;
        this.sender = new Sender(disk, new HttpTransport(settings), settings, counters);
        this.writer = new DiskWriter(disk, new EventEncoder(settings), sessions, visitorId, sender, settings, counters);
        String[] consent = StateFiles.read(new File(dir, "consent"));
        this.analyticsConsent = consent != null && consent.length == 2 && !consent[0].isEmpty()
                ? Boolean.parseBoolean(consent[0])
                : settings.analyticsConsent == null || settings.analyticsConsent;
        this.adsConsent = consent != null && consent.length == 2 && !consent[1].isEmpty()
                ? Boolean.valueOf(consent[1]) : settings.adsConsent;
        String[] user = StateFiles.read(new File(dir, "user_id"));
        this.userId = user != null && user.length == 1 && !user[0].isEmpty() ? user[0] : null;
    }

    /** Starts configuring a client that sends to {@code baseUri} (for example {@code https://sightline.example.com}). */
    public static SightlineBuilder builder(String writeKey, URI baseUri) {
        return new SightlineBuilder(writeKey, baseUri);
    }

    public static SightlineBuilder builder(String writeKey, String baseUri) {
        return new SightlineBuilder(writeKey, URI.create(baseUri));
    }

    static Sightline start(SightlineBuilder settings) throws IOException {
        File dir = settings.storage;
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create the storage folder " + dir);
        }
        StorageLock lock = StorageLock.acquire(dir);
        DiskQueue disk = null;
        try {
            String visitorId = visitorId(new File(dir, "visitor_id"));
            // Eight segments in the bound, so that evicting one gives back an eighth; 64 KiB holds the largest event.
            int segmentBytes = (int) Math.max(64 * 1024, Math.min(1024 * 1024, settings.maxQueueBytes / 8));
            disk = DiskQueue.open(new File(dir, "queue"), settings.maxQueueBytes, segmentBytes);
            Sessions sessions = new Sessions(new File(dir, "session"), settings.sessionTimeoutMillis);
            Sightline client = new Sightline(settings, lock, disk, new Counters(), visitorId, sessions);
            client.writer.start();
            client.sender.start();
            return client;
        } catch (IOException | RuntimeException e) {
            if (disk != null) {
                disk.close();
            }
            lock.close();
            throw e;
        }
    }

    private static String visitorId(File file) throws IOException {
        String[] lines = StateFiles.read(file);
        if (lines != null && lines.length == 1 && !lines[0].isEmpty() && lines[0].length() <= 128) {
            return lines[0];
        }
        String id = UUID.randomUUID().toString();
        StateFiles.write(file, id);
        return id;
    }

    /** {@code qr_scan}: the user scanned a QR code. */
    public void qrScan(String qrCodeId) {
        qrScan(qrCodeId, null);
    }

    /** {@code qr_scan} with the campaign the code belongs to (null for none). */
    public void qrScan(String qrCodeId, String campaign) {
        enqueue("qr_scan", null, campaign == null
                ? new Object[] {"qr_code_id", required(qrCodeId, "qrCodeId")}
                : new Object[] {"qr_code_id", required(qrCodeId, "qrCodeId"), "campaign", campaign});
    }

    /** {@code placement}: an object was placed in the scene. */
    public void placement(String objectId) {
        enqueue("placement", null, new Object[] {"object_id", required(objectId, "objectId")});
    }

    /** {@code placement} with the surface it was placed on and how long placing took (either may be null). */
    public void placement(String objectId, Surface surface, Long durationMs) {
        Object[] p = new Object[6];
        int n = put(p, 0, "object_id", required(objectId, "objectId"));
        n = put(p, n, "surface", surface == null ? null : surface.wire);
        n = put(p, n, "duration_ms", durationMs);
        enqueue("placement", null, trim(p, n));
    }

    /** {@code interaction}: the user tapped, rotated or scaled a placed object. */
    public void interaction(String objectId, InteractionKind kind) {
        enqueue("interaction", null, new Object[] {"object_id", required(objectId, "objectId"),
                "kind", required(kind, "kind").wire});
    }

    /** {@code interaction} with a value (degrees of a rotation, factor of a scale, ...). */
    public void interaction(String objectId, InteractionKind kind, double value) {
        enqueue("interaction", null, new Object[] {"object_id", required(objectId, "objectId"),
                "kind", required(kind, "kind").wire, "value", value});
    }

    /** {@code screenshot}: the user took a screenshot. */
    public void screenshot() {
        enqueue("screenshot", null, new Object[0]);
    }

    /** {@code screenshot} of the given object. */
    public void screenshot(String objectId) {
        enqueue("screenshot", null, objectId == null ? new Object[0] : new Object[] {"object_id", objectId});
    }

    /** {@code conversion}: the user followed a call to action. */
    public void conversion(String ctaId) {
        conversion(ctaId, null, null);
    }

    /** {@code conversion} with its value and ISO 4217 currency (either may be null). */
    public void conversion(String ctaId, Double value, String currency) {
        Object[] p = new Object[6];
        int n = put(p, 0, "cta_id", required(ctaId, "ctaId"));
        n = put(p, n, "value", value);
        n = put(p, n, "currency", currency);
        enqueue("conversion", null, trim(p, n));
    }

    /** A {@code custom} event named {@code name}, with properties (null for none). */
    public void custom(String name, Map<String, ?> properties) {
        enqueue("custom", required(name, "name"), copy(null, properties));
    }

    /** A {@code screen_view}: the screen {@code name} was shown, with further properties (null for none). */
    public void screen(String name, Map<String, ?> properties) {
        enqueue("screen_view", null, copy(required(name, "name"), properties));
    }

    /** Later events carry this user id ({@code user_id}); null after a sign-out. Kept in the storage folder. */
    public void identify(String userId) {
        this.userId = userId;
        persist("user_id", userId == null ? "" : userId);
    }

    /** Without analytics consent nothing is queued (already queued events are still sent). Kept in the storage folder. */
    public void setAnalyticsConsent(boolean granted) {
        this.analyticsConsent = granted;
        persistConsent();
    }

    /** Sent with each later event as {@code context.consent.ads}; the server forwards to ad platforms only with it. */
    public void setAdsConsent(boolean granted) {
        this.adsConsent = granted;
        persistConsent();
    }

    /** Sends what is queued now rather than at the end of the flush interval; does not wait. */
    public void flush() {
        sender.wake();
    }

    /**
     * Writes what is in memory to disk and sends everything queued; waits until the queue is empty or the
     * timeout has passed.
     *
     * @return true when everything queued before the call was sent
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        writer.awaitWritten(timeout.toMillis());
        sender.wake();
        return sender.awaitEmpty(writer, deadline);
    }

    /**
     * Stops taking events, writes what is in memory to disk and tries to send the queue for at most the close
     * timeout (5 s by default); what is not sent by then is sent by the next client on this folder.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.currentTimeMillis() + settings.closeTimeoutMillis;
        try {
            writer.stop(settings.closeTimeoutMillis);
            sender.stop(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                disk.close();
            } finally {
                lock.close();
            }
        }
    }

    /** This app installation's visitor id, kept in the storage folder. */
    public String visitorId() {
        return visitorId;
    }

    /** Events queued and not yet sent (in memory and on disk). */
    public long queuedEvents() {
        return (long) disk.size() + writer.pending();
    }

    /**
     * Events discarded without being sent: the oldest when the on-disk bound was reached, new ones when the
     * in-memory queue was full or the disk failed.
     */
    public long droppedEvents() {
        return disk.evicted() + counters.memoryFull.get() + counters.failed.get();
    }

    /** Events the server refused as invalid (or too large to send): sending them again could not help. */
    public long rejectedEvents() {
        return counters.rejected.get();
    }

    /** Events the server took. */
    public long sentEvents() {
        return counters.sent.get();
    }

    /** For tests and the benchmark: waits until every event queued so far is on disk. */
    boolean awaitWritten(Duration timeout) throws InterruptedException {
        return writer.awaitWritten(timeout.toMillis());
    }

    private void enqueue(String type, String name, Object[] properties) {
        if (!analyticsConsent || closed) {
            return;
        }
        PendingEvent e = new PendingEvent(type, name, properties, System.currentTimeMillis(), userId, adsConsent);
        if (!writer.offer(e)) {
            counters.memoryFull.incrementAndGet();
        }
    }

    private static <T> T required(T value, String name) {
        return Objects.requireNonNull(value, name + " is required");
    }

    private static int put(Object[] p, int n, String key, Object value) {
        if (value == null) {
            return n;
        }
        p[n] = key;
        p[n + 1] = value;
        return n + 2;
    }

    private static Object[] trim(Object[] p, int n) {
        return n == p.length ? p : java.util.Arrays.copyOf(p, n);
    }

    /** A shallow copy, so that the caller may reuse its map; nested maps and lists must not change afterwards. */
    private static Object[] copy(String screenName, Map<String, ?> properties) {
        int size = (properties == null ? 0 : properties.size()) + (screenName == null ? 0 : 1);
        Object[] p = new Object[2 * size];
        int n = 0;
        if (screenName != null) {
            p[n++] = "name";
            p[n++] = screenName;
        }
        if (properties != null) {
            for (Map.Entry<String, ?> e : properties.entrySet()) {
                if (screenName != null && "name".equals(e.getKey())) {
                    continue;
                }
                p[n++] = String.valueOf(e.getKey());
                p[n++] = e.getValue();
            }
        }
        return trim(p, n);
    }

    private void persistConsent() {
        Boolean ads = adsConsent;
        persist("consent", Boolean.toString(analyticsConsent), ads == null ? "" : ads.toString());
    }

    private void persist(String file, String... lines) {
        try {
            StateFiles.write(new File(dir, file), lines);
        } catch (IOException e) {
            settings.listener.eventsDropped(0, "state_error: " + e);
        }
    }
}
