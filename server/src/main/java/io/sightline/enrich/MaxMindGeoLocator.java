package io.sightline.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidDatabaseException;
import com.maxmind.db.Metadata;
import com.maxmind.db.NodeCache;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.NamedRecord;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Location;
import io.sightline.config.CidrBlock;
import io.sightline.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Looks addresses up in a memory-mapped MaxMind DB file: GeoLite2/GeoIP2 City or Country, DB-IP's City Lite,
 * or any file whose records have the GeoLite2 layout.
 *
 * <p>{@link DatabaseReader} decides what a file is by case-sensitive substrings of its {@code database_type}:
 * "City" (and "Enterprise") allow {@code city()}, "Country" only {@code country()}, and any other type makes
 * its constructor throw. DB-IP's "DBIP-City-Lite" therefore passes as a City database. A type the reader does
 * not know but that says "city" or "country" in any case (for example "dbip-city-lite" from a re-packager) is
 * read with the lower-level {@link Reader} into the same {@link CityResponse} records; anything else, such as an
 * ASN database, is refused at start.
 *
 * <p>Lookups use the {@code try…} methods, so an unknown address costs no exception. Lookup failures (a corrupt
 * file, an I/O error) give empty and are logged once, by exception type only: the library's messages contain
 * the address.
 */
public final class MaxMindGeoLocator implements GeoLocator {
    private static final Logger log = LoggerFactory.getLogger(MaxMindGeoLocator.class);
    private static final String VARIABLE = "SIGHTLINE_GEOIP_DATABASE";
    /**
     * The reader caches only values that records reach through pointers (the country, city and names maps that
     * many records share); a top-level record carries the looked-up address, so it is decoded on every lookup.
     * CHMCache keeps the first values it meets and then stops adding. On a 200k-network test database the
     * library's default of 4,096 was as fast as 16,384, and 20 % faster than no cache (3.5 against 4.3 µs).
     */
    private static final int CACHED_VALUES = 4_096;
    /** Blocks of {@link NetworkAnswers} remembered by the one-argument constructor; each holds up to 16 networks. */
    private static final int CACHED_BLOCKS = 16_384;

    private final Path file;
    private final Closeable database;
    private final Metadata metadata;
    private final Lookup lookup;
    private final boolean ipv4Only;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final NetworkAnswers answers;
    private final LongAdder rememberedLookups = new LongAdder();
    private final LongAdder databaseLookups = new LongAdder();

    /** @throws ConfigException naming {@code SIGHTLINE_GEOIP_DATABASE} and the path if the file is unusable */
    public MaxMindGeoLocator(Path file) {
        this(file, CACHED_BLOCKS);
    }

    /**
     * @param cachedBlocks how many /24 (IPv4) or /48 (IPv6) blocks' networks to remember, at least 1
     * @throws ConfigException naming {@code SIGHTLINE_GEOIP_DATABASE} and the path if the file is unusable
     */
    public MaxMindGeoLocator(Path file, int cachedBlocks) {
        this.file = file;
        this.answers = new NetworkAnswers(cachedBlocks);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(VARIABLE, file + " does not exist or is not a file");
        }
        NodeCache cache = new CHMCache(CACHED_VALUES);
        DatabaseReader reader = openIfTypeKnown(cache);
        if (reader != null) {
            this.database = reader;
            this.metadata = reader.metadata();
            this.lookup = lookupFor(reader);
        } else {
            Reader raw = openRaw(cache);
            this.database = raw;
            this.metadata = raw.getMetadata();
            this.lookup = address -> {
                DatabaseRecord<CityResponse> record = raw.getRecord(address, CityResponse.class);
                return new Found(Optional.ofNullable(record.data()).map(MaxMindGeoLocator::fromCity),
                        record.network().prefixLength());
            };
        }
        this.ipv4Only = metadata.ipVersion() == 4;
    }

    @Override
    public Optional<GeoFacts> locate(String ip) {
        if (ip == null) {
            return Optional.empty();
        }
        // literalAddress refuses anything that is not an IP literal before InetAddress could ask DNS.
        Optional<byte[]> bytes = CidrBlock.literalAddress(ip);
        if (bytes.isEmpty() || (ipv4Only && bytes.get().length == 16)) {
            // An IPv4-only tree would read the first 32 bits of an IPv6 address as an IPv4 address.
            return Optional.empty();
        }
        byte[] address = bytes.get();
        Optional<GeoFacts> known = answers.find(address);
        if (known != null) {
            rememberedLookups.increment();
            return known;
        }
        try {
            databaseLookups.increment();
            Found found = lookup.find(InetAddress.getByAddress(address));
            Optional<GeoFacts> answer = found.facts().filter(facts -> !facts.isEmpty());
            answers.remember(address, found.prefixLength(), answer);
            return answer;
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            if (failureLogged.compareAndSet(false, true)) {
                log.warn("GeoIP lookup in {} failed with {}; such lookups give no location (logged once)",
                        file, e.getClass().getName());
            }
            return Optional.empty();
        }
    }

    /** Lookups answered from the remembered networks. */
    public long rememberedLookups() {
        return rememberedLookups.sum();
    }

    /** Lookups that went to the database file: the misses of the remembered networks. */
    public long databaseLookups() {
        return databaseLookups.sum();
    }

    @Override
    public Map<String, LongSupplier> lookupCounts() {
        return Map.of("remembered", this::rememberedLookups, "database", this::databaseLookups);
    }

    /** The file's {@code database_type}, e.g. "GeoLite2-City". */
    public String databaseType() {
        return metadata.databaseType();
    }

    public Instant buildDate() {
        return metadata.buildTime();
    }

    @Override
    public void close() {
        try {
            database.close();
        } catch (IOException e) {
            log.warn("Closing the GeoIP database {} failed: {}", file, e.getMessage());
        }
    }

    /** @return null if DatabaseReader does not know the file's database type */
    private DatabaseReader openIfTypeKnown(NodeCache cache) {
        try {
            return new DatabaseReader.Builder(file.toFile())
                    .fileMode(Reader.FileMode.MEMORY_MAPPED)
                    .withCache(cache)
                    .locales(List.of("en"))
                    .build();
        } catch (IllegalArgumentException | UnsupportedOperationException unknownType) {
            // The reader it had opened holds only a memory mapping (the file is closed), which the GC releases.
            return null;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private Lookup lookupFor(DatabaseReader reader) {
        String type = reader.metadata().databaseType();
        if (type.contains("City") || type.contains("Enterprise")) {
            return address -> reader.tryCity(address)
                    .map(city -> new Found(Optional.of(fromCity(city)), city.traits().network().prefixLength()))
                    .orElse(Found.NOTHING);
        }
        if (type.contains("Country")) {
            return address -> reader.tryCountry(address)
                    .map(country -> new Found(Optional.of(fromCountry(country)),
                            country.traits().network().prefixLength()))
                    .orElse(Found.NOTHING);
        }
        closeQuietly(reader);
        throw notLocation(type);
    }

    private Reader openRaw(NodeCache cache) {
        Reader raw;
        try {
            raw = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, cache);
        } catch (IOException e) {
            throw unreadable(e);
        }
        String type = raw.getMetadata().databaseType();
        String lower = type.toLowerCase(Locale.ROOT);
        if (!lower.contains("city") && !lower.contains("country")) {
            closeQuietly(raw);
            throw notLocation(type);
        }
        return raw;
    }

    // country, not registered_country: where the network is used, not where its owner registered it.
    private static GeoFacts fromCity(CityResponse response) {
        Location location = response.location();
        return new GeoFacts(response.country().isoCode(), english(response.mostSpecificSubdivision()),
                english(response.city()), location.latitude(), location.longitude(), location.accuracyRadius());
    }

    private static GeoFacts fromCountry(CountryResponse response) {
        return new GeoFacts(response.country().isoCode(), null, null, null, null, null);
    }

    private static String english(NamedRecord record) {
        return record.names().get("en");
    }

    private ConfigException unreadable(IOException e) {
        if (e instanceof InvalidDatabaseException) {
            return new ConfigException(VARIABLE, file + " is not a MaxMind DB (.mmdb) file: " + e.getMessage());
        }
        return new ConfigException(VARIABLE, file + " could not be read: " + e);
    }

    private ConfigException notLocation(String type) {
        return new ConfigException(VARIABLE, file + " is a \"" + type
                + "\" database; a City or Country database (GeoLite2, GeoIP2, DB-IP) is needed");
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already failing with a clearer message
        }
    }

    /** One lookup, bound at start to the reader method that fits the file. */
    @FunctionalInterface
    private interface Lookup {
        Found find(InetAddress address) throws IOException, GeoIp2Exception;
    }

    /** What the file says of an address, and the prefix length of the network that says it (-1: unknown). */
    private record Found(Optional<GeoFacts> facts, int prefixLength) {
        static final Found NOTHING = new Found(Optional.empty(), -1);
    }
}
