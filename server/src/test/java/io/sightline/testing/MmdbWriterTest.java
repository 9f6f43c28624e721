package io.sightline.testing;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer is checked against MaxMind's own low-level reader, which knows nothing of our intentions. */
class MmdbWriterTest {
    private static final Instant BUILT = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path directory;

    @Test
    void maxminds_reader_sees_the_metadata_that_was_written() throws Exception {
        // One IPv6 half plus 10.0.0.0/8, which sits 96 + 8 bits deep: nodes at depths 0..103, 104 in all.
        Path file = new MmdbWriter("Sightline-Test-City")
                .buildTime(BUILT)
                .insert("8000::/1", Map.of("half", "upper"))
                .insert("10.0.0.0/8", Map.of("net", "ten"))
                .write(directory.resolve("meta.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            Metadata metadata = reader.getMetadata();
            assertThat(metadata.nodeCount()).isEqualTo(104);
            assertThat(metadata.recordSize()).isEqualTo(24);
            assertThat(metadata.ipVersion()).isEqualTo(6);
            assertThat(metadata.databaseType()).isEqualTo("Sightline-Test-City");
            assertThat(metadata.languages()).containsExactly("en");
            assertThat(metadata.binaryFormatMajorVersion()).isEqualTo(2);
            assertThat(metadata.binaryFormatMinorVersion()).isZero();
            assertThat(metadata.buildTime()).isEqualTo(BUILT);
            assertThat(metadata.description()).containsEntry("en", "Sightline test database");
        }
    }

    @Test
    void stores_ipv4_networks_under_the_ipv4_subtree() throws Exception {
        Path file = new MmdbWriter("Test").insert("10.0.0.0/8", Map.of("net", "ten"))
                .write(directory.resolve("v4.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            DatabaseRecord<Map<?, ?>> record = reader.getRecord(InetAddress.getByName("10.1.2.3"), mapClass());
            assertThat(record.data()).isEqualTo(Map.of("net", "ten"));
            assertThat(record.network().toString()).isEqualTo("10.0.0.0/8");
            assertThat(reader.get(InetAddress.getByName("::a01:203"), mapClass())).isEqualTo(Map.of("net", "ten"));
            assertThat(reader.get(InetAddress.getByName("11.0.0.1"), mapClass())).isNull();
        }
    }

    @Test
    void round_trips_every_type_it_writes() throws Exception {
        Map<String, Object> value = Map.of(
                "text", "Zürich",
                "text_of_300_bytes", "x".repeat(300),
                "text_of_70000_bytes", "y".repeat(70_000),
                "double", -33.87,
                "uint16", new MmdbWriter.Uint16(65_535),
                "uint32", 4_294_967_295L,
                "zero", 0,
                "flags", List.of(true, false),
                "nested", Map.of("names", Map.of("en", "Sydney")));
        Path file = new MmdbWriter("Test").insert("2001:db8::/32", value).write(directory.resolve("types.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            Map<Object, Object> read = Map.copyOf(reader.get(InetAddress.getByName("2001:db8::1"), mapClass()));
            assertThat(read).containsEntry("text", "Zürich")
                    .containsEntry("text_of_300_bytes", "x".repeat(300))
                    .containsEntry("text_of_70000_bytes", "y".repeat(70_000))
                    .containsEntry("double", -33.87)
                    .containsEntry("uint16", 65_535)
                    .containsEntry("uint32", 4_294_967_295L)
                    .containsEntry("zero", 0L)
                    .containsEntry("flags", List.of(true, false))
                    .containsEntry("nested", Map.of("names", Map.of("en", "Sydney")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 28, 32})
    void writes_every_record_size(int bits) throws Exception {
        Path file = new MmdbWriter("Test").recordSize(bits)
                .insert("10.0.0.0/8", "ten")
                .insert("2001:db8::/32", "documentation")
                .write(directory.resolve(bits + ".mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.getMetadata().recordSize()).isEqualTo(bits);
            assertThat(reader.get(InetAddress.getByName("10.9.8.7"), String.class)).isEqualTo("ten");
            assertThat(reader.get(InetAddress.getByName("2001:db8::7"), String.class)).isEqualTo("documentation");
            assertThat(reader.get(InetAddress.getByName("2001:db9::7"), String.class)).isNull();
        }
    }

    @Test
    void switches_to_28_bit_records_when_data_lies_beyond_16_mib() throws Exception {
        // Two 9 MB strings push the small records past 2^24, so both halves of a 28-bit node need their top bits.
        Path file = new MmdbWriter("Test")
                .insert("10.0.0.0/8", "a".repeat(9_000_000))
                .insert("11.0.0.0/8", "b".repeat(9_000_000))
                .insert("12.0.0.0/8", "twelve")
                .insert("13.0.0.0/8", "thirteen")
                .write(directory.resolve("big.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.getMetadata().recordSize()).isEqualTo(28);
            assertThat(reader.get(InetAddress.getByName("12.0.0.1"), String.class)).isEqualTo("twelve");
            assertThat(reader.get(InetAddress.getByName("13.0.0.1"), String.class)).isEqualTo("thirteen");
            assertThat(reader.get(InetAddress.getByName("11.0.0.1"), String.class)).startsWith("bbb");
        }
    }

    @Test
    void stores_an_identical_record_once() {
        Map<String, Object> berlin = Map.of("city", Map.of("names", Map.of("en", "Berlin")));
        Path once = new MmdbWriter("Test").insert("10.0.0.0/8", berlin).write(directory.resolve("once.mmdb"));
        Path twice = new MmdbWriter("Test").insert("10.0.0.0/8", berlin)
                .insert("2001:db8::/32", Map.of("city", Map.of("names", Map.of("en", "Berlin"))))
                .write(directory.resolve("twice.mmdb"));

        // The second network adds tree nodes only: 2001:db8::/32 leaves the IPv4 path after 3 bits, so 29 nodes
        // of 6 bytes; its record points at the data the first network already has.
        assertThat(twice.toFile().length() - once.toFile().length()).isEqualTo(29 * 6);
    }

    @Test
    void shares_repeated_parts_of_records_through_pointers() throws Exception {
        Map<String, Object> country = Map.of("iso_code", "AU", "names", Map.of("en", "Australia " + "x".repeat(500)));
        Path one = new MmdbWriter("Test").insert("10.0.0.0/8", Map.of("country", country, "city", "Alpha"))
                .write(directory.resolve("one.mmdb"));
        // 11.0.0.0/8 is the sibling of 10.0.0.0/8, so the second record adds no tree node, only its own bytes.
        Path two = new MmdbWriter("Test").insert("10.0.0.0/8", Map.of("country", country, "city", "Alpha"))
                .insert("11.0.0.0/8", Map.of("country", country, "city", "Beta"))
                .write(directory.resolve("two.mmdb"));

        assertThat(two.toFile().length() - one.toFile().length()).isLessThan(20);
        try (Reader reader = new Reader(two.toFile())) {
            assertThat(reader.get(InetAddress.getByName("11.1.1.1"), mapClass()))
                    .isEqualTo(Map.of("country", country, "city", "Beta"));
        }
    }

    @Test
    void follows_pointers_of_every_length() throws Exception {
        // Shared strings written at offsets below 2 KiB, below 514 KiB and beyond, so that the second record
        // points at them with 2-, 3- and 4-byte pointers.
        List<String> first = List.of("near-string", "a".repeat(3_000), "middle-string", "b".repeat(600_000),
                "far-string");
        List<String> second = List.of("near-string", "middle-string", "far-string");
        Path file = new MmdbWriter("Test").insert("10.0.0.0/8", first).insert("11.0.0.0/8", second)
                .write(directory.resolve("pointers.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.get(InetAddress.getByName("11.0.0.1"), listClass())).isEqualTo(second);
            assertThat(reader.get(InetAddress.getByName("10.0.0.1"), listClass())).isEqualTo(first);
        }
    }

    @Test
    void a_larger_network_inserted_later_replaces_the_smaller_ones_inside_it() throws Exception {
        Path file = new MmdbWriter("Test")
                .insert("10.1.0.0/16", "small")
                .insert("10.0.0.0/8", "large")
                .write(directory.resolve("replaced.mmdb"));

        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.get(InetAddress.getByName("10.1.2.3"), String.class)).isEqualTo("large");
            assertThat(reader.getMetadata().nodeCount()).isEqualTo(104);
        }
    }

    @Test
    void refuses_a_network_with_host_bits_set() {
        assertThatThrownBy(() -> new MmdbWriter("Test").insert("10.0.0.1/8", "x"))
                .hasMessageContaining("10.0.0.1/8");
    }

    @SuppressWarnings("unchecked")
    private static Class<Map<?, ?>> mapClass() {
        return (Class<Map<?, ?>>) (Class<?>) Map.class;
    }

    @SuppressWarnings("unchecked")
    private static Class<List<?>> listClass() {
        return (Class<List<?>>) (Class<?>) List.class;
    }
}
