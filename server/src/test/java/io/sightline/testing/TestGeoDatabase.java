package io.sightline.testing;

import io.sightline.enrich.GeoFacts;
import io.sightline.testing.MmdbWriter.GeoLite2City;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * GeoIP databases for tests anywhere in the project.
 *
 * <p>{@link #city()} is a GeoLite2-City database that knows exactly the networks of {@link #KNOWN}, all in
 * documentation and benchmarking ranges, so no test depends on where real addresses are:
 * <pre>
 * 203.0.113.0/24   AU  New South Wales  Sydney         -33.87, 151.21   20 km
 * 198.51.100.0/24  DE  Berlin           Berlin          52.52,  13.40   10 km
 * 192.0.2.0/24     US  California       Mountain View   37.39, -122.08  50 km
 * 2001:db8:1::/48  JP  Tokyo            Tokyo           35.69, 139.69  100 km
 * 198.18.0.0/15    NL  (country only: no region, city or location)
 * </pre>
 * {@link #UNKNOWN_IPV4} and {@link #UNKNOWN_IPV6} are in no network.
 *
 * <p>{@link #withRandomNetworks} writes a database of realistic size for benchmarks.
 */
public final class TestGeoDatabase {

    /** A network of a test database, an address inside it, and what the database says about it. */
    public record GeoNetwork(String network, String sampleIp, GeoLite2City record) {
        /** What a GeoLocator should find for {@link #sampleIp}. */
        public GeoFacts facts() {
            return new GeoFacts(record.countryIso(), record.regionName(), record.cityName(), record.latitude(),
                    record.longitude(), record.accuracyRadiusKm());
        }
    }

    public static final GeoNetwork SYDNEY = new GeoNetwork("203.0.113.0/24", "203.0.113.7",
            new GeoLite2City("AU", "Australia", "NSW", "New South Wales", "Sydney", -33.87, 151.21, 20));
    public static final GeoNetwork BERLIN = new GeoNetwork("198.51.100.0/24", "198.51.100.23",
            new GeoLite2City("DE", "Germany", "BE", "Berlin", "Berlin", 52.52, 13.40, 10));
    public static final GeoNetwork MOUNTAIN_VIEW = new GeoNetwork("192.0.2.0/24", "192.0.2.44",
            new GeoLite2City("US", "United States", "CA", "California", "Mountain View", 37.39, -122.08, 50));
    public static final GeoNetwork TOKYO = new GeoNetwork("2001:db8:1::/48", "2001:db8:1::7",
            new GeoLite2City("JP", "Japan", "13", "Tokyo", "Tokyo", 35.69, 139.69, 100));
    public static final GeoNetwork NETHERLANDS_COUNTRY_ONLY = new GeoNetwork("198.18.0.0/15", "198.19.200.1",
            GeoLite2City.countryOnly("NL", "Netherlands"));
    public static final List<GeoNetwork> KNOWN = List.of(SYDNEY, BERLIN, MOUNTAIN_VIEW, TOKYO, NETHERLANDS_COUNTRY_ONLY);

    public static final String UNKNOWN_IPV4 = "100.64.0.1";
    public static final String UNKNOWN_IPV6 = "2001:db8:ffff::1";
    /** The build date written into every test database. */
    public static final Instant BUILD_TIME = Instant.parse("2026-01-06T00:00:00Z");

    private static final int CITIES = 5_000;
    private static final int[] ACCURACY_RADII_KM = {1, 5, 10, 20, 50, 100, 200, 500, 1000};
    private static Path city;

    private TestGeoDatabase() {
    }

    /** The GeoLite2-City database of {@link #KNOWN}, built once per JVM under target/. */
    public static synchronized Path city() {
        if (city == null) {
            MmdbWriter writer = new MmdbWriter("GeoLite2-City").buildTime(BUILD_TIME);
            KNOWN.forEach(known -> writer.insert(known.network(), known.record()));
            city = writer.write(Path.of("target", "geoip", "sightline-test-city.mmdb").toAbsolutePath());
        }
        return city;
    }

    /**
     * Writes a GeoLite2-City database of {@code count} IPv4 networks and {@code count / 20} IPv6 networks (about
     * 200,000 and 10,000 make a file of real-world shape) and returns its path. See {@link #randomNetworks}.
     */
    public static Path withRandomNetworks(Path file, int count, long seed) {
        MmdbWriter writer = new MmdbWriter("GeoLite2-City").buildTime(BUILD_TIME);
        randomNetworks(count, seed).forEach(network -> writer.insert(network.network(), network.record()));
        return writer.write(file);
    }

    /**
     * The networks {@link #withRandomNetworks} writes for the same arguments, so a test or benchmark can pick
     * addresses it knows the answer for. Networks never overlap: the address space is cut into {@code count}
     * equal slots and each network (/18 to /28 for IPv4, /32 to /48 for IPv6 under 2400::/8) lies inside its
     * own slot. About 5,000 cities across every ISO country share the networks, popular ones far more often,
     * and one network in twenty knows only its country.
     */
    public static List<GeoNetwork> randomNetworks(int count, long seed) {
        Random random = new Random(seed);
        List<GeoLite2City> cities = cities(random);
        List<GeoNetwork> networks = new ArrayList<>(count + count / 20);
        place(random, count, 32, 18, 28, cities, networks, 4);
        place(random, count / 20, 40, 24, 40, cities, networks, 6);
        return networks;
    }

    /** Places networks in a {@code width}-bit space (IPv4, or bits 8..47 of IPv6 under 2400::/8). */
    private static void place(Random random, int count, int width, int shortest, int longest,
                              List<GeoLite2City> cities, List<GeoNetwork> into, int version) {
        if (count == 0) {
            return;
        }
        long slot = (1L << width) / count;
        for (int i = 0; i < count; i++) {
            long slotStart = i * slot;
            // At most half a slot, so that an aligned network always fits inside the slot.
            int prefix = Math.max(shortest, width + 1 - (63 - Long.numberOfLeadingZeros(slot)));
            prefix = Math.min(longest, prefix + random.nextInt(longest - prefix + 1));
            long size = 1L << (width - prefix);
            long first = (slotStart + size - 1) / size * size;
            long room = (slotStart + slot - first - size) / size;
            long start = first + size * (long) (random.nextDouble() * (room + 1));
            long inside = start + (long) (random.nextDouble() * size);
            GeoLite2City city = random.nextInt(20) == 0
                    ? countryOnly(cities.get(random.nextInt(cities.size())))
                    // cubing skews the choice towards the first cities, as traffic favours big ones
                    : cities.get((int) (cities.size() * Math.pow(random.nextDouble(), 3)));
            into.add(version == 4
                    ? new GeoNetwork(ipv4(start) + "/" + prefix, ipv4(inside), city)
                    : new GeoNetwork(ipv6(start) + "/" + (prefix + 8), ipv6(inside), city));
        }
    }

    private static List<GeoLite2City> cities(Random random) {
        String[] countries = Locale.getISOCountries();
        List<GeoLite2City> cities = new ArrayList<>(CITIES);
        for (int i = 0; i < CITIES; i++) {
            String country = countries[i % countries.length];
            int region = random.nextInt(20);
            cities.add(new GeoLite2City(country, new Locale("", country).getDisplayCountry(Locale.ENGLISH),
                    "R" + region, name(random) + " Region", name(random),
                    Math.round((random.nextDouble() * 170 - 85) * 1e4) / 1e4,
                    Math.round((random.nextDouble() * 360 - 180) * 1e4) / 1e4,
                    ACCURACY_RADII_KM[random.nextInt(ACCURACY_RADII_KM.length)]));
        }
        return cities;
    }

    private static GeoLite2City countryOnly(GeoLite2City city) {
        return GeoLite2City.countryOnly(city.countryIso(), city.countryName());
    }

    private static String name(Random random) {
        String[] syllables = {"ka", "lo", "ri", "san", "mer", "to", "vel", "an", "bu", "dor", "el", "qui", "sha", "tan"};
        StringBuilder name = new StringBuilder();
        for (int i = 2 + random.nextInt(3); i > 0; i--) {
            name.append(syllables[random.nextInt(syllables.length)]);
        }
        name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
        return name.toString();
    }

    private static String ipv4(long address) {
        return (address >>> 24 & 0xFF) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "."
                + (address & 0xFF);
    }

    /** Bits 8..47 of an address under 2400::/8, as text. */
    private static String ipv6(long bits) {
        byte[] address = new byte[16];
        address[0] = 0x24;
        for (int i = 0; i < 5; i++) {
            address[1 + i] = (byte) (bits >>> (32 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an address", e);
        }
    }
}
