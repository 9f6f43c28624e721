package io.sightline.sdk;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Configures a {@link Sightline} client; {@link Sightline#builder} starts one. Only the storage folder is required
 * beyond the write key and the server's address; every other setting has a default suited to a phone.
 */
public final class SightlineBuilder {
    final String writeKey;
    final URI baseUri;
    File storage;
    long flushIntervalMillis = 10_000;
    int maxBatch = 100;
    long maxQueueBytes = 8L * 1024 * 1024;
    int maxPendingEvents = 10_000;
    long minBackoffMillis = 1_000;
    long maxBackoffMillis = 5 * 60_000;
    long closeTimeoutMillis = 5_000;
    long syncIntervalMillis = 1_000;
    long sessionTimeoutMillis = 30 * 60_000;
    int connectTimeoutMillis = 10_000;
    int readTimeoutMillis = 30_000;
    boolean gzip = true;
    Boolean analyticsConsent;
    Boolean adsConsent;
    String appVersion;
    String appBuild;
    String os = DeviceDefaults.os();
    String osVersion = DeviceDefaults.osVersion();
    String deviceModel;
    String deviceType;
    String locale = DeviceDefaults.locale(Locale.getDefault());
    String userAgent = DeviceDefaults.userAgent();
    SightlineListener listener = new SightlineListener() { };

    SightlineBuilder(String writeKey, URI baseUri) {
        if (writeKey == null || writeKey.trim().isEmpty()) {
            throw new IllegalArgumentException("the write key is required");
        }
        if (baseUri == null || baseUri.getScheme() == null
                || !(baseUri.getScheme().equals("https") || baseUri.getScheme().equals("http"))) {
            throw new IllegalArgumentException("the base URI must be an http(s) URI such as https://sightline.example.com");
        }
        this.writeKey = writeKey;
        this.baseUri = baseUri;
    }

    /**
     * The folder for the queue, the visitor id, the session and consent; created if missing. On Android:
     * {@code new File(context.getFilesDir(), "sightline")}. One client per folder.
     */
    public SightlineBuilder storage(File dir) {
        this.storage = dir;
        return this;
    }

    /** How long an event may wait for a batch to fill before it is sent anyway (default 10 s). */
    public SightlineBuilder flushInterval(Duration interval) {
        this.flushIntervalMillis = positive(interval, "flushInterval");
        return this;
    }

    /** Events per request, 1 to 500 (default 100); a full batch is sent at once. */
    public SightlineBuilder maxBatch(int events) {
        if (events < 1 || events > 500) {
            throw new IllegalArgumentException("maxBatch must be between 1 and 500, the server's limit");
        }
        this.maxBatch = events;
        return this;
    }

    /** The bound of the on-disk queue, at least 256 KiB (default 8 MiB); past it the oldest events are dropped. */
    public SightlineBuilder maxQueueBytes(long bytes) {
        if (bytes < 256 * 1024) {
            throw new IllegalArgumentException("maxQueueBytes must be at least 256 KiB");
        }
        this.maxQueueBytes = bytes;
        return this;
    }

    /** Events held in memory while the writer thread catches up (default 10,000); past it new events are dropped. */
    public SightlineBuilder maxPendingEvents(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("maxPendingEvents must be positive");
        }
        this.maxPendingEvents = events;
        return this;
    }

    /** The first and the longest delay between retries (default 1 s and 5 min); each is randomised downwards by up to half. */
    public SightlineBuilder retryBackoff(Duration first, Duration longest) {
        this.minBackoffMillis = positive(first, "retryBackoff");
        this.maxBackoffMillis = Math.max(minBackoffMillis, positive(longest, "retryBackoff"));
        return this;
    }

    /** How long {@link Sightline#close()} tries to send what is queued (default 5 s); the rest waits on disk. */
    public SightlineBuilder closeTimeout(Duration timeout) {
        this.closeTimeoutMillis = positive(timeout, "closeTimeout");
        return this;
    }

    /** How often appended events are forced to the storage device (default 1 s); see "Guarantees" in the README. */
    public SightlineBuilder syncInterval(Duration interval) {
        this.syncIntervalMillis = positive(interval, "syncInterval");
        return this;
    }

    /** A new session begins after this long without events (default 30 minutes). */
    public SightlineBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeoutMillis = positive(timeout, "sessionTimeout");
        return this;
    }

    /** Whether request bodies are gzipped (default true; a server that refuses them gets plain JSON). */
    public SightlineBuilder gzip(boolean on) {
        this.gzip = on;
        return this;
    }

    /** Analytics consent until the app says otherwise; a value set with the setter and kept on disk wins. */
    public SightlineBuilder analyticsConsent(boolean granted) {
        this.analyticsConsent = granted;
        return this;
    }

    /** Ads consent until the app says otherwise; a value set with the setter and kept on disk wins. */
    public SightlineBuilder adsConsent(boolean granted) {
        this.adsConsent = granted;
        return this;
    }

    /** {@code context.app}: the app's version and build; null leaves them out. */
    public SightlineBuilder app(String version, String build) {
        this.appVersion = version;
        this.appBuild = build;
        return this;
    }

    /**
     * {@code context.device}; on Android {@code ("Android", Build.VERSION.RELEASE, Build.MODEL, "phone")}. By
     * default the OS of the JVM, and nothing else.
     */
    public SightlineBuilder device(String os, String osVersion, String model, String type) {
        this.os = os;
        this.osVersion = osVersion;
        this.deviceModel = model;
        this.deviceType = type;
        return this;
    }

    /** {@code context.locale} (default: the JVM's default locale); null leaves it out. */
    public SightlineBuilder locale(Locale locale) {
        this.locale = locale == null ? null : DeviceDefaults.locale(locale);
        return this;
    }

    /** The User-Agent header (default: Android's own, else {@code Sightline-Java/<version>}). */
    public SightlineBuilder userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    public SightlineBuilder listener(SightlineListener listener) {
        this.listener = listener == null ? new SightlineListener() { } : listener;
        return this;
    }

    /** HTTP connect and read timeouts (default 10 s and 30 s). */
    public SightlineBuilder timeouts(Duration connect, Duration read) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, positive(connect, "connect timeout"));
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, positive(read, "read timeout"));
        return this;
    }

    /**
     * Opens the storage folder (recovering what a previous run left there) and starts the writer and sender
     * threads.
     *
     * @throws IOException when the folder cannot be created or read
     * @throws IllegalStateException when no storage folder was given, or another client holds it
     */
    public Sightline build() throws IOException {
        if (storage == null) {
            throw new IllegalStateException("storage(dir) is required: the queue and the visitor id live there");
        }
        return Sightline.start(copy());
    }

    /** The settings as they are now: changing this builder later does not change a client built from it. */
    private SightlineBuilder copy() {
        SightlineBuilder c = new SightlineBuilder(writeKey, baseUri);
        c.storage = storage;
        c.flushIntervalMillis = flushIntervalMillis;
        c.maxBatch = maxBatch;
        c.maxQueueBytes = maxQueueBytes;
        c.maxPendingEvents = maxPendingEvents;
        c.minBackoffMillis = minBackoffMillis;
        c.maxBackoffMillis = maxBackoffMillis;
        c.closeTimeoutMillis = closeTimeoutMillis;
        c.syncIntervalMillis = syncIntervalMillis;
        c.sessionTimeoutMillis = sessionTimeoutMillis;
        c.connectTimeoutMillis = connectTimeoutMillis;
        c.readTimeoutMillis = readTimeoutMillis;
        c.gzip = gzip;
        c.analyticsConsent = analyticsConsent;
        c.adsConsent = adsConsent;
        c.appVersion = appVersion;
        c.appBuild = appBuild;
        c.os = os;
        c.osVersion = osVersion;
        c.deviceModel = deviceModel;
        c.deviceType = deviceType;
        c.locale = locale;
        c.userAgent = userAgent;
        c.listener = listener;
        return c;
    }

    private static long positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d.toMillis();
    }
}
