package io.sightline.enrich;

import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns a User-Agent into {@link DeviceFacts} with Yauaa, and decides whether the event is from a bot.
 *
 * <h2>Bot policy</h2>
 * Events arrive with a valid write key, so they come from the team's own apps, web pages and servers. Native apps
 * and server relays send with HTTP libraries ({@code okhttp/4.12.0}, {@code curl/8.5.0},
 * {@code python-requests/2.31.0}, ...) which Yauaa classifies as Robot; dropping those would drop every Android app
 * that uses OkHttp. So an event is a bot when
 * <ol>
 *   <li>its User-Agent contains one of the configured extra patterns (case-insensitive), or</li>
 *   <li>Yauaa's DeviceClass or AgentClass is {@code Hacker} and it names an attack vector or toolkit
 *       ({@code sqlmap}, Nikto, code injection). Yauaa also calls any bare word without a version ({@code node},
 *       {@code undici}, {@code Ktor client}, {@code MyApp}) a Hacker; those are default agents of app and server
 *       HTTP stacks, so they count as unknown devices, not bots; or</li>
 *   <li>Yauaa's DeviceClass or AgentClass is a Robot class ({@code Robot}, {@code Robot Mobile},
 *       {@code Robot Imitator}) and the agent is not a plain HTTP client library. A plain library is one for which
 *       Yauaa finds no AgentInformationUrl and no AgentInformationEmail (crawlers announce a page about themselves)
 *       and whose User-Agent contains none of the {@link #CRAWLER_MARKERS}.</li>
 * </ol>
 * A bot's other facts are filled as Yauaa reports them, since a setting may keep bots flagged rather than dropped.
 * A plain HTTP library that is kept gets no OS, device type or model: Yauaa's "Cloud" and "Robot" describe where
 * such libraries usually run, not the phone that sent the event, and would put Android users under "robot".
 *
 * <h2>Versions</h2>
 * For browsers the version is the major one ("124"): minor Chrome or Firefox releases only split a dashboard into
 * dozens of rows. For everything else, above all the team's own apps, it is the full version ("2.3"), because
 * telling release 2.3 from 2.4 is the point.
 *
 * <h2>Speed</h2>
 * Building the analyzer takes 1.5 to 3 s and keeps about 115 MB of heap, so build one detector per process.
 * A parse costs about 0.4 ms once warm (1 ms cold) on a 2-core machine, and Yauaa runs every parse under one lock ({@code UserAgentStringMatchMaker.parse}
 * holds {@code synchronized (this)}), so parses never run in parallel however many request threads there are.
 * Answers are therefore kept in a cache of {@link DeviceFacts} whose hits take no lock; only the first sighting of
 * a User-Agent reaches Yauaa.
 *
 * <p>{@link #resolve} keeps even that first parse off the request threads. Misses go to one parser thread through a
 * bounded queue, and the request continues when its answer is ready; concurrent requests with the same new
 * User-Agent share one parse. Measured under load on 2 cores, letting request threads parse themselves made them
 * queue on Yauaa's lock while the holder waited for a core: with 1 % new User-Agents, /track throughput halved.
 * If the queue is full (a flood of never-seen User-Agents, by accident or as an attack), the request goes on at once
 * with unknown device facts, not a bot, and {@link #unparsed()} counts it: ingestion never stalls behind the parser.
 */
public final class DeviceDetector implements DeviceResolver {
    /** Parses waiting at most; at about 0.5 ms each, a full queue is about 0.2 s of work. */
    public static final int PARSE_QUEUE = 512;
    /** Longer User-Agents are cut to this length first; Yauaa itself would call anything longer a Hacker. */
    public static final int MAX_USER_AGENT_LENGTH = 2048;

    /**
     * Words that mark an automated client even when Yauaa finds no information URL for it, compared case-insensitively
     * with the whole User-Agent ("headless" catches {@code HeadlessChrome}, "monitor" uptime checkers, ...).
     */
    public static final List<String> CRAWLER_MARKERS = List.of(
            "bot", "crawl", "spider", "slurp", "headless", "scan", "preview", "lighthouse", "pingdom", "monitor");

    private static final Set<String> ROBOT_CLASSES = Set.of("Robot", "Robot Mobile", "Robot Imitator");
    private static final String HACKER = "Hacker";
    private static final Set<String> BROWSER_CLASSES = Set.of("Browser", "Browser Webview");

    /** Yauaa's ways of saying "don't know"; for a Hacker it fills every field with "Hacker". */
    private static final Set<String> UNKNOWN_VALUES = Set.of(
            UserAgent.UNKNOWN_VALUE, UserAgent.UNKNOWN_VERSION, UserAgent.UNKNOWN_NAME_VERSION, HACKER, "Anonymized");

    private static final Map<String, String> OS_NAMES = Map.of("Windows NT", "Windows", "Mac OS", "macOS");

    /** Yauaa's DeviceClass values; an unlisted new one becomes its own letters in lower case. */
    private static final Map<String, String> DEVICE_TYPES = Map.ofEntries(
            Map.entry("Desktop", "desktop"),
            Map.entry("Phone", "phone"),
            Map.entry("Tablet", "tablet"),
            Map.entry("Mobile", "mobile"),
            Map.entry("Watch", "watch"),
            Map.entry("TV", "tv"),
            // Apple TV, Roku, Chromecast: watched on a TV, which is what a dashboard reader wants to see.
            Map.entry("Set-top box", "tv"),
            Map.entry("Game Console", "console"),
            Map.entry("Handheld Game Console", "console"),
            Map.entry("Virtual Reality", "xr"),
            Map.entry("Augmented Reality", "xr"),
            Map.entry("Mixed Reality", "xr"),
            Map.entry("eReader", "ereader"),
            Map.entry("Car", "car"),
            Map.entry("Voice", "voice"),
            Map.entry("Smart Display", "display"),
            Map.entry("Home Appliance", "appliance"),
            Map.entry("Cloud", "server"),
            Map.entry("Robot", "robot"),
            Map.entry("Robot Mobile", "robot"),
            Map.entry("Robot Imitator", "robot"));

    private static final CompletableFuture<DeviceFacts> UNKNOWN = CompletableFuture.completedFuture(DeviceFacts.UNKNOWN);

    private static final List<String> FIELDS = List.of(
            UserAgent.DEVICE_CLASS, UserAgent.DEVICE_NAME,
            UserAgent.OPERATING_SYSTEM_NAME, UserAgent.OPERATING_SYSTEM_VERSION,
            UserAgent.AGENT_CLASS, UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION, UserAgent.AGENT_VERSION_MAJOR,
            UserAgent.AGENT_INFORMATION_URL, UserAgent.AGENT_INFORMATION_EMAIL,
            UserAgent.HACKER_ATTACK_VECTOR, UserAgent.HACKER_TOOLKIT);

    private final UserAgentAnalyzer analyzer;
    private final List<String> extraBotPatterns;
    /** Answers as completed futures, so that a hit allocates nothing. */
    private final RecentMap<String, CompletableFuture<DeviceFacts>> cache;
    private final Map<String, CompletableFuture<DeviceFacts>> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor parser;
    private final LongAdder cached = new LongAdder();
    private final LongAdder shared = new LongAdder();
    private final LongAdder parsed = new LongAdder();
    private final LongAdder unparsed = new LongAdder();

    /**
     * @param cacheSize        how many distinct User-Agents to remember, at least 1
     * @param extraBotPatterns substrings that make a User-Agent a bot, compared case-insensitively
     */
    public DeviceDetector(int cacheSize, List<String> extraBotPatterns) {
        this.extraBotPatterns = extraBotPatterns.stream().map(DeviceDetector::toPattern).toList();
        this.cache = new RecentMap<>(cacheSize); // refuses a size below 1, before Yauaa takes seconds to build
        this.parser = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(PARSE_QUEUE),
                runnable -> {
                    Thread t = new Thread(runnable, "user-agent-parser");
                    t.setDaemon(true);
                    return t;
                });
        // Only the fields used here, so Yauaa skips the matchers for the rest. Measured with 8.1.1 this saves little
        // (144 MB retained instead of 147 MB, parses about 10% faster): most of the heap is lookup tables that load
        // either way. dropTests() lets go of Yauaa's built-in test cases: 114 MB instead of 140 MB.
        // Yauaa's own caches are off because the RecentMap keeps the finished answers.
        this.analyzer = UserAgentAnalyzer.newBuilder()
                .withFields(FIELDS)
                .dropTests()
                .withoutCache()
                .withoutClientHintsCache()
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build();
    }

    /**
     * Thread-safe; never blocks. Completes at once for a User-Agent seen before (or null, blank, or refused because
     * the parse queue is full), else on the parser thread: callers should continue on their own executor.
     */
    @Override
    public CompletableFuture<DeviceFacts> resolve(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return UNKNOWN;
        }
        String key = key(userAgent);
        CompletableFuture<DeviceFacts> known = cache.get(key);
        if (known != null) {
            cached.increment();
            return known;
        }
        CompletableFuture<DeviceFacts> pending = new CompletableFuture<>();
        CompletableFuture<DeviceFacts> running = inFlight.putIfAbsent(key, pending);
        if (running != null) {
            shared.increment();
            return running;
        }
        try {
            parser.execute(() -> {
                try {
                    DeviceFacts facts = analyse(key);
                    // The same future, so every caller of this User-Agent holds one answer, whether it
                    // arrived while the parse ran or after. Cached before it completes, so that whoever
                    // learns the answer and asks again finds it in the cache.
                    cache.put(key, pending);
                    pending.complete(facts);
                } catch (RuntimeException e) {
                    pending.complete(DeviceFacts.UNKNOWN); // Yauaa failing on one input must not fail the event
                } finally {
                    inFlight.remove(key, pending);
                }
            });
            parsed.increment();
        } catch (RejectedExecutionException full) {
            unparsed.increment();
            inFlight.remove(key, pending);
            pending.complete(DeviceFacts.UNKNOWN);
        }
        return pending;
    }

    /** The same answer as {@link #resolve}, parsed on the calling thread when new (for tests and tools). */
    public DeviceFacts detect(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return DeviceFacts.UNKNOWN;
        }
        String key = key(userAgent);
        CompletableFuture<DeviceFacts> known = cache.get(key);
        if (known != null) {
            return known.join();
        }
        DeviceFacts facts = analyse(key);
        cache.put(key, CompletableFuture.completedFuture(facts));
        return facts;
    }

    /** Lookups by {@link #resolve} answered from the cache. */
    public long cached() {
        return cached.sum();
    }

    /** Lookups by {@link #resolve} that joined a parse of the same User-Agent already queued or running. */
    public long shared() {
        return shared.sum();
    }

    /** Lookups by {@link #resolve} that Yauaa parsed: the cache misses. */
    public long parsed() {
        return parsed.sum();
    }

    /** Lookups by {@link #resolve} that went on with unknown device facts because the parse queue was full. */
    public long unparsed() {
        return unparsed.sum();
    }

    @Override
    public Map<String, LongSupplier> lookupCounts() {
        return Map.of("cached", this::cached, "shared", this::shared, "parsed", this::parsed, "unparsed", this::unparsed);
    }

    @Override
    public void close() {
        parser.shutdownNow();
    }

    private static String key(String userAgent) {
        return userAgent.length() > MAX_USER_AGENT_LENGTH ? userAgent.substring(0, MAX_USER_AGENT_LENGTH) : userAgent;
    }

    private DeviceFacts analyse(String userAgent) {
        UserAgent parsed = analyzer.parse(userAgent);
        String lowerCase = userAgent.toLowerCase(Locale.ROOT);
        String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
        String agentClass = parsed.getValue(UserAgent.AGENT_CLASS);
        boolean robot = ROBOT_CLASSES.contains(deviceClass) || ROBOT_CLASSES.contains(agentClass);
        boolean plainLibrary = robot && isPlainHttpLibrary(parsed, lowerCase);
        boolean attack = (HACKER.equals(deviceClass) || HACKER.equals(agentClass))
                && (known(parsed.getValue(UserAgent.HACKER_ATTACK_VECTOR)) != null
                    || known(parsed.getValue(UserAgent.HACKER_TOOLKIT)) != null);
        boolean bot = extraBotPatterns.stream().anyMatch(lowerCase::contains) || attack || (robot && !plainLibrary);

        String browser = known(parsed.getValue(UserAgent.AGENT_NAME));
        String browserVersion = known(parsed.getValue(BROWSER_CLASSES.contains(agentClass)
                ? UserAgent.AGENT_VERSION_MAJOR
                : UserAgent.AGENT_VERSION));
        if (plainLibrary) {
            return new DeviceFacts(null, null, null, null, browser, browserVersion, bot);
        }
        String os = known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME));
        return new DeviceFacts(
                os == null ? null : OS_NAMES.getOrDefault(os, os),
                known(parsed.getValue(UserAgent.OPERATING_SYSTEM_VERSION)),
                deviceType(deviceClass),
                known(parsed.getValue(UserAgent.DEVICE_NAME)),
                browser,
                browserVersion,
                bot);
    }

    private static boolean isPlainHttpLibrary(UserAgent parsed, String lowerCaseUserAgent) {
        return known(parsed.getValue(UserAgent.AGENT_INFORMATION_URL)) == null
                && known(parsed.getValue(UserAgent.AGENT_INFORMATION_EMAIL)) == null
                && CRAWLER_MARKERS.stream().noneMatch(lowerCaseUserAgent::contains);
    }

    private static String deviceType(String deviceClass) {
        if (known(deviceClass) == null) {
            return null;
        }
        String type = DEVICE_TYPES.get(deviceClass);
        return type != null ? type : deviceClass.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    private static String known(String value) {
        return value == null || UNKNOWN_VALUES.contains(value) ? null : value;
    }

    private static String toPattern(String pattern) {
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("an extra bot pattern must not be blank: it would match every event");
        }
        return pattern.toLowerCase(Locale.ROOT);
    }
}
