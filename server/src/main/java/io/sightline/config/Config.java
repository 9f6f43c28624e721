package io.sightline.config;

import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the server, read once from environment variables and validated before anything starts.
 * This is the one place defaults live; README.md lists the same table.
 */
public record Config(Http http, Database database, Ingest ingest, Writer writer, Enrich enrich, Rollup rollup,
                     Forwarding forwarding, Dashboard dashboard) {

    /**
     * The web dashboard's sign-in. {@code publicUrl}: where browsers reach the server (scheme, host, port, no
     * trailing slash); when it is https the session cookie is marked Secure. {@code sessionTtl}: how long a
     * session lives after its last use (never more than 7 days after the login).
     */
    public record Dashboard(Optional<URI> publicUrl, Duration sessionTtl) {}

    /**
     * HTTP listener and process lifecycle. {@code threads}: the most request threads Jetty may run.
     * {@code shutdownDrain}: how long a stopping server keeps its listener open, not ready and answering new
     * events 503, so that a load balancer sees readiness fail before connections are refused.
     */
    public record Http(String host, int port, int threads, Duration shutdownTimeout, Duration shutdownDrain,
                       Optional<String> metricsToken) {}

    /**
     * Either an external PostgreSQL ({@code url} present) or the embedded one, which keeps its files under
     * {@code dataDirectory}. {@code embeddedPort} 0 means any free port.
     */
    public record Database(Optional<String> url, String user, String password, Path dataDirectory,
                           int embeddedPort, int poolSize) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /** Limits of the ingestion API. */
    public record Ingest(int maxBatchEvents, int maxBodyBytes, int maxEventBytes, Duration backfillWindow,
                         Duration futureTolerance, List<CidrBlock> trustedProxies, Duration ackTimeout) {}

    /** The group-commit writer: how many events may wait, how many go into one transaction, how many writers. */
    public record Writer(int queueCapacityEvents, int maxEventsPerCommit, int threads) {}

    /**
     * What the server derives and what it keeps. {@code locationDecimals} 0 stores no coordinates;
     * {@code honourOptOut} makes DNT and Sec-GPC deny ads consent. {@code geoipCacheBlocks} and
     * {@code userAgentCache} size the in-memory answers of the GeoIP file and of the User-Agent parser.
     */
    public record Enrich(Optional<Path> geoipDatabase, int geoipCacheBlocks, boolean deviceDetection,
                         int userAgentCache, List<String> botUserAgents, boolean keepBots, int locationDecimals,
                         Duration sessionTimeout, int sessionCapacity, Duration saltRetention,
                         boolean adsConsentByDefault, boolean honourOptOut) {}

    /**
     * Daily rollups and retention. {@code delay}: a local day is rolled this long after it ends, and an event
     * stored more than this after it occurred marks its day for a re-roll. {@code statsRetentionDays} 0 keeps daily
     * stats forever. {@code jobs} false leaves the scheduled jobs to other instances.
     */
    public record Rollup(Duration interval, Duration delay, int retentionDays, int statsRetentionDays, boolean jobs) {}

    /**
     * Forwarding to ad and analytics platforms. {@code secretKey}: the AES-256 key that encrypts destination
     * credentials; empty means the one kept in {@code secret.key} of the data directory (made on first start). Each
     * base URL replaces a platform's endpoint (tests point them at local servers); empty means the platform's own.
     */
    /**
     * {@code worker}: whether this instance runs the delivery worker (instances share the outbox safely; turn it off
     * to keep one instance for ingestion only). {@code backoffBase}: the first retry's wait, doubled per attempt up
     * to an hour; {@code maxAttempts}: the per-delivery budget before a dead letter.
     */
    public record Forwarding(Optional<SecretKeySpec> secretKey, Optional<URI> metaBaseUrl,
                             Optional<URI> googleAdsBaseUrl, Optional<URI> googleOauthUrl, Optional<URI> ga4BaseUrl,
                             Optional<URI> linkedinBaseUrl, Optional<URI> xBaseUrl, boolean worker,
                             Duration backoffBase, int maxAttempts, Duration sendTimeout) {
        /** Never the key. */
        @Override
        public String toString() {
            return "Forwarding[secretKey " + (secretKey.isPresent() ? "set" : "from the data directory") + ", "
                    + metaBaseUrl + ", " + googleAdsBaseUrl + ", " + googleOauthUrl + ", " + ga4BaseUrl + ", "
                    + linkedinBaseUrl + ", " + xBaseUrl + ", worker " + worker + ", backoff " + backoffBase
                    + ", attempts " + maxAttempts + ", timeout " + sendTimeout + "]";
        }
    }

    public static Config fromEnvironment() {
        return load(System.getenv());
    }

    public static Config load(Map<String, String> variables) {
        Env env = new Env(variables);
        Http http = new Http(
                env.string("SIGHTLINE_HTTP_HOST", "0.0.0.0"),
                env.integer("SIGHTLINE_HTTP_PORT", 8080, 0, 65535),
                env.integer("SIGHTLINE_HTTP_THREADS", 32, 8, 1000),
                env.duration("SIGHTLINE_SHUTDOWN_TIMEOUT", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                env.duration("SIGHTLINE_SHUTDOWN_DRAIN", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5)),
                env.optional("SIGHTLINE_METRICS_TOKEN"));

        Optional<String> url = env.optional("SIGHTLINE_DATABASE_URL");
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql://")) {
                throw new ConfigException("SIGHTLINE_DATABASE_URL", "must start with jdbc:postgresql://");
            }
        });
        Database database = new Database(
                url,
                env.string("SIGHTLINE_DATABASE_USER", "postgres"),
                env.string("SIGHTLINE_DATABASE_PASSWORD", ""),
                env.path("SIGHTLINE_DATA_DIR", "data"),
                env.integer("SIGHTLINE_EMBEDDED_DB_PORT", 0, 0, 65535),
                env.integer("SIGHTLINE_DATABASE_POOL_SIZE", 8, 2, 200));

        Ingest ingest = new Ingest(
                env.integer("SIGHTLINE_MAX_BATCH_EVENTS", 500, 1, 500),
                env.integer("SIGHTLINE_MAX_BODY_BYTES", 1 << 20, 1024, 1 << 20),
                env.integer("SIGHTLINE_MAX_EVENT_BYTES", 32 * 1024, 1024, 1 << 20),
                env.duration("SIGHTLINE_BACKFILL_WINDOW", Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(60)),
                env.duration("SIGHTLINE_FUTURE_TOLERANCE", Duration.ofHours(24), Duration.ZERO, Duration.ofDays(7)),
                env.cidrs("SIGHTLINE_TRUSTED_PROXIES"),
                env.duration("SIGHTLINE_ACK_TIMEOUT", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5)));

        Writer writer = new Writer(
                env.integer("SIGHTLINE_QUEUE_CAPACITY", 50_000, 500, 10_000_000),
                env.integer("SIGHTLINE_WRITER_MAX_EVENTS_PER_COMMIT", 5_000, 1, 100_000),
                env.integer("SIGHTLINE_WRITER_THREADS", 2, 1, 16));
        if (writer.queueCapacityEvents() < ingest.maxBatchEvents()) {
            throw new ConfigException("SIGHTLINE_QUEUE_CAPACITY", "must hold at least one full batch ("
                    + ingest.maxBatchEvents() + " events)");
        }
        Enrich enrich = new Enrich(
                env.optional("SIGHTLINE_GEOIP_DATABASE").map(p -> env.path("SIGHTLINE_GEOIP_DATABASE", p)),
                env.integer("SIGHTLINE_GEOIP_CACHE", 16_384, 16, 262_144),
                env.bool("SIGHTLINE_DEVICE_DETECTION", true),
                env.integer("SIGHTLINE_USER_AGENT_CACHE", 20_000, 16, 200_000),
                env.list("SIGHTLINE_BOT_USER_AGENTS"),
                env.bool("SIGHTLINE_KEEP_BOTS", false),
                env.integer("SIGHTLINE_LOCATION_DECIMALS", 2, 0, 6),
                env.duration("SIGHTLINE_SESSION_TIMEOUT", Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofHours(24)),
                env.integer("SIGHTLINE_SESSION_CAPACITY", 100_000, 1_000, 10_000_000),
                env.duration("SIGHTLINE_SALT_RETENTION", Duration.ofHours(48), Duration.ofHours(24), Duration.ofDays(31)),
                env.bool("SIGHTLINE_ADS_CONSENT_DEFAULT", false),
                env.bool("SIGHTLINE_HONOR_DNT", true));
        Rollup rollup = new Rollup(
                env.duration("SIGHTLINE_ROLLUP_INTERVAL", Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(24)),
                env.duration("SIGHTLINE_ROLLUP_DELAY", Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(24)),
                env.integer("SIGHTLINE_RETENTION_DAYS", 365, 1, 36_500),
                env.integer("SIGHTLINE_STATS_RETENTION_DAYS", 0, 0, 36_500),
                env.bool("SIGHTLINE_JOBS", true));
        if (Duration.ofDays(rollup.retentionDays()).compareTo(ingest.backfillWindow()) <= 0) {
            throw new ConfigException("SIGHTLINE_RETENTION_DAYS", "must be longer than SIGHTLINE_BACKFILL_WINDOW ("
                    + ingest.backfillWindow().toDays() + " days), or events still accepted would be dropped");
        }
        Forwarding forwarding = new Forwarding(
                env.optional("SIGHTLINE_SECRET_KEY").map(Config::secretKey),
                env.httpUrl("SIGHTLINE_META_BASE_URL"),
                env.httpUrl("SIGHTLINE_GOOGLE_ADS_BASE_URL"),
                env.httpUrl("SIGHTLINE_GOOGLE_OAUTH_URL"),
                env.httpUrl("SIGHTLINE_GA4_BASE_URL"),
                env.httpUrl("SIGHTLINE_LINKEDIN_BASE_URL"),
                env.httpUrl("SIGHTLINE_X_BASE_URL"),
                env.bool("SIGHTLINE_FORWARDING", true),
                env.duration("SIGHTLINE_FORWARD_BACKOFF", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(10)),
                env.integer("SIGHTLINE_FORWARD_MAX_ATTEMPTS", 20, 1, 1000),
                env.duration("SIGHTLINE_FORWARD_TIMEOUT", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(5)));
        Dashboard dashboard = new Dashboard(
                env.httpUrl("SIGHTLINE_PUBLIC_URL").map(Config::publicUrl),
                env.duration("SIGHTLINE_SESSION_TTL", Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofDays(7)));
        return new Config(http, database, ingest, writer, enrich, rollup, forwarding, dashboard);
    }

    /** The origin the dashboard is reached at: a path, query or fragment would make links and the Origin check wrong. */
    private static URI publicUrl(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (!(path.isEmpty() || path.equals("/")) || url.getRawQuery() != null || url.getRawFragment() != null
                || url.getRawUserInfo() != null) {
            throw new ConfigException("SIGHTLINE_PUBLIC_URL", "must be scheme, host and optional port only, such as"
                    + " https://stats.example.com");
        }
        return URI.create((url.getScheme() + "://" + url.getRawAuthority()).toLowerCase(Locale.ROOT));
    }

    /** The message never repeats the value: it is a secret, and a near miss of one too. */
    private static SecretKeySpec secretKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("SIGHTLINE_SECRET_KEY", "must be base64 (of 32 random bytes, e.g. from"
                    + " `openssl rand -base64 32`)");
        }
        if (key.length != 32) {
            throw new ConfigException("SIGHTLINE_SECRET_KEY", "must be the base64 of exactly 32 bytes, got "
                    + key.length + " bytes");
        }
        return new SecretKeySpec(key, "AES");
    }
}
