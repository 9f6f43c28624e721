package io.sightline.enrich;

import io.sightline.config.ConfigException;
import io.sightline.testing.MmdbWriter;
import io.sightline.testing.MmdbWriter.GeoLite2City;
import io.sightline.testing.TestGeoDatabase;
import io.sightline.testing.TestGeoDatabase.GeoNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.sightline.testing.TestGeoDatabase.BERLIN;
import static io.sightline.testing.TestGeoDatabase.MOUNTAIN_VIEW;
import static io.sightline.testing.TestGeoDatabase.NETHERLANDS_COUNTRY_ONLY;
import static io.sightline.testing.TestGeoDatabase.SYDNEY;
import static io.sightline.testing.TestGeoDatabase.TOKYO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaxMindGeoLocatorTest {
    private static MaxMindGeoLocator city;

    @TempDir
    Path directory;

    @BeforeAll
    static void open() {
        city = new MaxMindGeoLocator(TestGeoDatabase.city());
    }

    @AfterAll
    static void close() {
        city.close();
    }

    @Test
    void finds_city_region_country_and_coordinates_for_ipv4() {
        assertThat(city.locate(SYDNEY.sampleIp()))
                .contains(new GeoFacts("AU", "New South Wales", "Sydney", -33.87, 151.21, 20));
        assertThat(city.locate(BERLIN.sampleIp())).contains(BERLIN.facts());
        assertThat(city.locate(MOUNTAIN_VIEW.sampleIp())).contains(MOUNTAIN_VIEW.facts());
    }

    @Test
    void finds_ipv6() {
        assertThat(city.locate(TOKYO.sampleIp()))
                .contains(new GeoFacts("JP", "Tokyo", "Tokyo", 35.69, 139.69, 100));
    }

    @Test
    void finds_ipv4_mapped_ipv6() {
        assertThat(city.locate("::ffff:" + SYDNEY.sampleIp())).contains(SYDNEY.facts());
        // The older IPv4-compatible form reaches the same ::/96 subtree.
        assertThat(city.locate("::" + SYDNEY.sampleIp())).contains(SYDNEY.facts());
    }

    @Test
    void gives_only_the_country_for_a_network_without_city() {
        assertThat(city.locate(NETHERLANDS_COUNTRY_ONLY.sampleIp()))
                .contains(new GeoFacts("NL", null, null, null, null, null));
    }

    @Test
    void an_ipv4_only_database_answers_nothing_for_ipv6() {
        // 2001:db8:: starts with the bits of 32.1.13.184, which a 32-bit tree would happily look up.
        Path file = new MmdbWriter("GeoLite2-City").ipv4Only().insert("32.0.0.0/8", BERLIN.record())
                .write(directory.resolve("ipv4-only.mmdb"));
        try (MaxMindGeoLocator ipv4Only = new MaxMindGeoLocator(file)) {
            assertThat(ipv4Only.locate("32.1.13.184")).contains(BERLIN.facts());
            assertThat(ipv4Only.locate("::ffff:32.1.13.184")).contains(BERLIN.facts());
            assertThat(ipv4Only.locate("2001:db8::1")).isEmpty();
        }
    }

    @Test
    void looks_a_block_up_once_when_its_network_covers_it() {
        try (MaxMindGeoLocator fresh = new MaxMindGeoLocator(TestGeoDatabase.city())) {
            assertThat(fresh.locate("203.0.113.7")).contains(SYDNEY.facts());
            assertThat(fresh.locate("203.0.113.200")).contains(SYDNEY.facts());
            assertThat(fresh.locate("::ffff:203.0.113.9")).contains(SYDNEY.facts());
            assertThat(fresh.databaseLookups()).isEqualTo(1);
            // a /15: each /24 inside is its own block
            assertThat(fresh.locate("198.19.200.1")).contains(NETHERLANDS_COUNTRY_ONLY.facts());
            assertThat(fresh.locate("198.19.201.1")).contains(NETHERLANDS_COUNTRY_ONLY.facts());
            assertThat(fresh.locate("2001:db8:1::7")).contains(TOKYO.facts());
            assertThat(fresh.locate("2001:db8:1:ffff::1")).contains(TOKYO.facts());
            assertThat(fresh.databaseLookups()).isEqualTo(4);
        }
    }

    @Test
    void networks_narrower_than_a_block_keep_their_own_answers_and_single_addresses_are_not_kept() {
        Path file = new MmdbWriter("GeoLite2-City")
                .insert("32.0.0.0/25", BERLIN.record())
                .insert("32.0.0.128/26", SYDNEY.record())
                .insert("32.0.0.200/32", MOUNTAIN_VIEW.record())
                .insert("2400:1:2:3::/64", TOKYO.record())
                .insert("2400:1:2:4::/80", BERLIN.record())
                .write(directory.resolve("narrow.mmdb"));
        try (MaxMindGeoLocator narrow = new MaxMindGeoLocator(file)) {
            for (int round = 0; round < 3; round++) {
                assertThat(narrow.locate("32.0.0.5")).contains(BERLIN.facts());
                assertThat(narrow.locate("32.0.0.127")).contains(BERLIN.facts());
                assertThat(narrow.locate("32.0.0.130")).contains(SYDNEY.facts());
                assertThat(narrow.locate("32.0.0.200")).contains(MOUNTAIN_VIEW.facts());
                assertThat(narrow.locate("32.0.0.201")).isEmpty();
                assertThat(narrow.locate("2400:1:2:3::1")).contains(TOKYO.facts());
                assertThat(narrow.locate("2400:1:2:4::1")).contains(BERLIN.facts());
            }
            // first round: 6 (32.0.0.127 is in the /25 that 32.0.0.5 found); then the /32, the gap and the /80
            assertThat(narrow.databaseLookups()).isEqualTo(6 + 2 * 3);
        }
    }

    @Test
    void answers_from_remembered_networks_equal_the_database_for_thousands_of_networks() {
        Path file = TestGeoDatabase.withRandomNetworks(directory.resolve("random.mmdb"), 5_000, 11);
        List<GeoNetwork> networks = new ArrayList<>(TestGeoDatabase.randomNetworks(5_000, 11));
        try (MaxMindGeoLocator random = new MaxMindGeoLocator(file)) {
            for (int round = 0; round < 3; round++) {
                java.util.Collections.shuffle(networks, new Random(round));
                for (GeoNetwork network : networks) {
                    assertThat(random.locate(network.sampleIp())).as(network.network()).contains(network.facts());
                }
            }
            // /18 to /28 networks (5,250 with the IPv6 ones), each looked up once
            assertThat(random.databaseLookups()).isEqualTo(networks.size());
        }
    }

    @Test
    void returns_empty_for_an_address_not_in_the_database() {
        assertThat(city.locate(TestGeoDatabase.UNKNOWN_IPV4)).isEmpty();
        assertThat(city.locate(TestGeoDatabase.UNKNOWN_IPV6)).isEmpty();
    }

    @Test
    void reports_database_type_and_build_date() {
        assertThat(city.databaseType()).isEqualTo("GeoLite2-City");
        assertThat(city.buildDate()).isEqualTo(TestGeoDatabase.BUILD_TIME);
    }

    @Test
    void country_database_gives_country_only() {
        MmdbWriter writer = new MmdbWriter("GeoLite2-Country");
        // Even full city records give only the country: a Country database is read as one.
        TestGeoDatabase.KNOWN.forEach(known -> writer.insert(known.network(), known.record()));
        try (MaxMindGeoLocator country = new MaxMindGeoLocator(writer.write(directory.resolve("country.mmdb")))) {
            assertThat(country.locate(BERLIN.sampleIp())).contains(new GeoFacts("DE", null, null, null, null, null));
            assertThat(country.locate(TOKYO.sampleIp())).contains(new GeoFacts("JP", null, null, null, null, null));
            assertThat(country.locate(TestGeoDatabase.UNKNOWN_IPV4)).isEmpty();
        }
    }

    @Test
    void reads_db_ip_city_lite_whatever_the_case_of_its_type() {
        // DB-IP names its file "DBIP-City-Lite", which DatabaseReader accepts as a City database because it
        // contains "City"; a lower-case name would make DatabaseReader refuse the file.
        for (String type : List.of("DBIP-City-Lite", "dbip-city-lite")) {
            Path file = new MmdbWriter(type).insert(BERLIN.network(), BERLIN.record())
                    .write(directory.resolve(type + ".mmdb"));
            try (MaxMindGeoLocator dbIp = new MaxMindGeoLocator(file)) {
                assertThat(dbIp.databaseType()).isEqualTo(type);
                assertThat(dbIp.locate(BERLIN.sampleIp())).as(type).contains(BERLIN.facts());
                assertThat(dbIp.locate(TestGeoDatabase.UNKNOWN_IPV4)).as(type).isEmpty();
            }
        }
    }

    @Test
    void refuses_a_database_that_has_no_locations() {
        Path asn = new MmdbWriter("GeoLite2-ASN").insert("198.51.100.0/24", java.util.Map.of(
                "autonomous_system_number", 64_496L)).write(directory.resolve("asn.mmdb"));

        assertThatThrownBy(() -> new MaxMindGeoLocator(asn))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_GEOIP_DATABASE")
                .hasMessageContaining(asn.toString())
                .hasMessageContaining("GeoLite2-ASN");
    }

    @Test
    void refuses_a_missing_file_naming_the_path() {
        Path missing = directory.resolve("GeoLite2-City.mmdb");

        assertThatThrownBy(() -> new MaxMindGeoLocator(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_GEOIP_DATABASE")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void refuses_a_file_that_is_not_an_mmdb() throws Exception {
        Path text = Files.writeString(directory.resolve("GeoLite2-City.mmdb"), "<html>rate limited</html>");

        assertThatThrownBy(() -> new MaxMindGeoLocator(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SIGHTLINE_GEOIP_DATABASE")
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not a MaxMind DB");
    }

    @Test
    void rejects_hostnames_without_dns_lookup() {
        // "localhost" would resolve to an address this database knows, so finding nothing proves no resolution.
        Path file = new MmdbWriter("GeoLite2-City")
                .insert("127.0.0.0/8", SYDNEY.record())
                .insert("::1/128", SYDNEY.record())
                .write(directory.resolve("loopback.mmdb"));
        try (MaxMindGeoLocator loopback = new MaxMindGeoLocator(file)) {
            assertThat(loopback.locate("127.0.0.1")).contains(SYDNEY.facts());
            assertThat(loopback.locate("::1")).contains(SYDNEY.facts());
            for (String notAnAddress : List.of("localhost", "ip6-localhost", "example.com", "127.1", "2130706433",
                    "fe80::1%lo", "", " 127.0.0.1")) {
                assertThat(loopback.locate(notAnAddress)).as(notAnAddress).isEmpty();
            }
            assertThat(loopback.locate(null)).isEmpty();
        }
    }

    @Test
    void a_corrupt_record_gives_empty_and_one_warning_without_the_address() throws Exception {
        Path file = new MmdbWriter("GeoLite2-City").insert(BERLIN.network(), BERLIN.record())
                .write(directory.resolve("corrupt.mmdb"));
        try (com.maxmind.db.Reader reader = new com.maxmind.db.Reader(file.toFile());
             RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            long dataStart = reader.getMetadata().nodeCount() * reader.getMetadata().recordSize() / 4 + 16;
            bytes.seek(dataStart);
            bytes.write(new byte[] {0x00, 0x7F}); // an extended type number the format does not have
        }
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (MaxMindGeoLocator corrupt = new MaxMindGeoLocator(file)) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(corrupt.locate(BERLIN.sampleIp())).isEmpty();
            assertThat(corrupt.locate("198.51.100.99")).isEmpty();
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("WARN").contains("GeoIP lookup").doesNotContain("198.51.100");
        assertThat(logged.lines().filter(line -> line.contains("WARN"))).hasSize(1);
    }

    @Test
    void concurrent_lookups_from_8_threads_agree() throws Exception {
        List<GeoNetwork> networks = TestGeoDatabase.randomNetworks(20_000, 7);
        Path file = TestGeoDatabase.withRandomNetworks(directory.resolve("random-20k.mmdb"), 20_000, 7);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (MaxMindGeoLocator locator = new MaxMindGeoLocator(file)) {
            List<Callable<List<String>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Random random = new Random(t);
                tasks.add(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        GeoNetwork network = networks.get(random.nextInt(networks.size()));
                        Optional<GeoFacts> found = locator.locate(network.sampleIp());
                        if (!found.equals(Optional.of(network.facts()))) {
                            wrong.add(network.sampleIp() + " gave " + found);
                        }
                    }
                    return wrong;
                });
            }
            for (Future<List<String>> result : threads.invokeAll(tasks)) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void finds_sampled_networks_of_a_database_with_200k_networks() {
        List<GeoNetwork> networks = TestGeoDatabase.randomNetworks(200_000, 42);
        Path file = TestGeoDatabase.withRandomNetworks(directory.resolve("random-200k.mmdb"), 200_000, 42);
        Random random = new Random(1);
        try (MaxMindGeoLocator locator = new MaxMindGeoLocator(file)) {
            for (int i = 0; i < 2_000; i++) {
                GeoNetwork network = networks.get(random.nextInt(networks.size()));
                assertThat(locator.locate(network.sampleIp())).as(network.network()).contains(network.facts());
            }
            assertThat(locator.locate(networks.get(0).sampleIp())).contains(networks.get(0).facts());
            GeoNetwork last = networks.get(networks.size() - 1);
            assertThat(last.sampleIp()).contains(":");
            assertThat(locator.locate(last.sampleIp())).contains(last.facts());
        }
    }

    @Test
    void none_finds_nothing() {
        assertThat(GeoLocator.none().locate(SYDNEY.sampleIp())).isEmpty();
    }

    @Test
    void a_more_specific_network_inserted_later_carves_out_of_a_larger_one() {
        GeoLite2City paris = new GeoLite2City("FR", "France", "IDF", "Île-de-France", "Paris", 48.86, 2.35, 20);
        Path file = new MmdbWriter("GeoLite2-City")
                .insert("198.51.100.0/24", BERLIN.record())
                .insert("198.51.100.64/26", paris)
                .write(directory.resolve("nested.mmdb"));
        try (MaxMindGeoLocator nested = new MaxMindGeoLocator(file)) {
            assertThat(nested.locate("198.51.100.63")).contains(BERLIN.facts());
            assertThat(nested.locate("198.51.100.64").map(GeoFacts::city)).contains("Paris");
            assertThat(nested.locate("198.51.100.127").map(GeoFacts::region)).contains("Île-de-France");
            assertThat(nested.locate("198.51.100.128")).contains(BERLIN.facts());
        }
    }
}
