package io.sightline.testing;

import io.sightline.config.CidrBlock;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes MaxMind DB files (binary format 2.0, https://maxmind.github.io/MaxMind-DB/) so tests can look up
 * addresses they chose, in databases of any size, without shipping a real one.
 *
 * <p>File layout: search tree, 16 zero bytes, data section, the marker {@code "\xAB\xCD\xEFMaxMind.com"}, then
 * the metadata map. The tree is IPv6 ({@code ip_version} 6) unless {@link #ipv4Only()} is asked for; in an IPv6
 * tree an IPv4 network a.b.c.d/n is stored as ::a.b.c.d/(96+n), which is where readers look IPv4 addresses up.
 * The record size is the smallest of 24, 28
 * and 32 bits that can address every node and data record.
 *
 * <p><b>Overlapping inserts paint:</b> every address gets the data of the last inserted network that contains
 * it. A more specific network inserted after a larger one carves its range out of it (the rest keeps the
 * larger network's data); a larger network inserted after smaller ones replaces them.
 *
 * <p>Values: {@code Map<String, ?>} (map), {@code List} (array), {@code String} (utf8_string), {@code Double},
 * {@code Boolean}, {@code Integer}/{@code Long} (uint32) and {@link Uint16}. Equal records are stored once and
 * shared by all their networks; repeated parts of records are shared through pointers (see
 * {@link MmdbDataEncoder}).
 */
public final class MmdbWriter {
    private static final byte[] METADATA_MARKER = "\u00AB\u00CD\u00EFMaxMind.com".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DATA_SECTION_SEPARATOR = 16;

    /** A uint16 field, which GeoLite2 uses for example for {@code accuracy_radius}. */
    public record Uint16(int value) {
        public Uint16 {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException(value + " is not a uint16");
            }
        }
    }

    /**
     * The parts of a GeoLite2-City record that GeoIP readers map to country, region, city and location. A null
     * part is left out of the record, as GeoLite2 leaves out what it does not know.
     */
    public record GeoLite2City(String countryIso, String countryName, String regionIso, String regionName,
                               String cityName, Double latitude, Double longitude, Integer accuracyRadiusKm) {

        public static GeoLite2City countryOnly(String countryIso, String countryName) {
            return new GeoLite2City(countryIso, countryName, null, null, null, null, null, null);
        }

        public Map<String, Object> toRecord() {
            Map<String, Object> record = new HashMap<>();
            if (countryIso != null) {
                record.put("country", named(Map.of("iso_code", countryIso), countryName));
            }
            if (regionIso != null || regionName != null) {
                Map<String, Object> code = regionIso == null ? Map.of() : Map.of("iso_code", regionIso);
                record.put("subdivisions", List.of(named(code, regionName)));
            }
            if (cityName != null) {
                record.put("city", named(Map.of(), cityName));
            }
            if (latitude != null) {
                Map<String, Object> location = new HashMap<>(Map.of("latitude", latitude, "longitude", longitude));
                if (accuracyRadiusKm != null) {
                    location.put("accuracy_radius", new Uint16(accuracyRadiusKm));
                }
                record.put("location", location);
            }
            return record;
        }

        private static Map<String, Object> named(Map<String, Object> fields, String englishName) {
            Map<String, Object> named = new HashMap<>(fields);
            if (englishName != null) {
                named.put("names", Map.of("en", englishName));
            }
            return named;
        }
    }

    private final String databaseType;
    private Instant buildTime = Instant.now();
    private int forcedRecordSize;
    private int addressBytes = 16;
    // The tree while inserting: node 0 is the root; a child is 0 (no data), n > 0 (node n) or -(d + 1) (value d).
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private int nodes = 1;
    private final List<Object> values = new ArrayList<>();
    private final Map<Object, Integer> valueIds = new HashMap<>();

    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    public MmdbWriter buildTime(Instant time) {
        this.buildTime = time;
        return this;
    }

    /** Uses {@code bits} (24, 28 or 32) per record instead of the smallest size that fits. */
    public MmdbWriter recordSize(int bits) {
        if (bits != 24 && bits != 28 && bits != 32) {
            throw new IllegalArgumentException("record sizes are 24, 28 or 32 bits, not " + bits);
        }
        this.forcedRecordSize = bits;
        return this;
    }

    /** Writes a 32-bit tree ({@code ip_version} 4) that holds IPv4 networks only, as some third-party files do. */
    public MmdbWriter ipv4Only() {
        if (nodes > 1) {
            throw new IllegalStateException("choose the IP version before inserting");
        }
        this.addressBytes = 4;
        return this;
    }

    /** Maps every address of {@code network} ("203.0.113.0/24", "2001:db8::/32") to {@code value}. */
    public MmdbWriter insert(String network, Object value) {
        CidrBlock block = CidrBlock.parse(network);
        byte[] given = block.network();
        if (given.length > addressBytes) {
            throw new IllegalArgumentException(network + ": an IPv4-only database cannot hold IPv6 networks");
        }
        byte[] address = new byte[addressBytes];
        System.arraycopy(given, 0, address, addressBytes - given.length, given.length);
        int prefix = block.prefixLength() + (addressBytes - given.length) * 8;
        if (prefix == 0) {
            throw new IllegalArgumentException(network + ": a database for every address is not supported");
        }
        for (int bit = prefix; bit < addressBytes * 8; bit++) {
            if (bitAt(address, bit) != 0) {
                throw new IllegalArgumentException(network + " has bits set after its prefix");
            }
        }
        int valueId = valueIds.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
        int node = 0;
        for (int depth = 0; depth < prefix - 1; depth++) {
            int bit = bitAt(address, depth);
            int child = child(node, bit);
            if (child <= 0) {
                // No node here yet: both halves start with what the whole range had (nothing or a value).
                child = newNode(child);
                setChild(node, bit, child);
            }
            node = child;
        }
        setChild(node, bitAt(address, prefix - 1), -(valueId + 1));
        return this;
    }

    /** Inserts a record shaped like GeoLite2-City's; see {@link GeoLite2City}. */
    public MmdbWriter insert(String network, GeoLite2City city) {
        return insert(network, city.toRecord());
    }

    /** Writes the database (through a temporary file, so a reader never sees half of it) and returns its path. */
    public Path write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
                writeTo(out);
            }
            return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private void writeTo(OutputStream out) throws IOException {
        int[] order = reachableNodes();
        int nodeCount = order.length;
        int[] newIds = new int[nodes];
        for (int i = 0; i < nodeCount; i++) {
            newIds[order[i]] = i;
        }
        MmdbDataEncoder data = MmdbDataEncoder.dataSection();
        int[] offsets = new int[values.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = data.writeRecord(values.get(i));
        }
        int recordSize = recordSize((long) nodeCount + DATA_SECTION_SEPARATOR + data.size());
        if (forcedRecordSize != 0) {
            if (forcedRecordSize < recordSize) {
                throw new IllegalStateException("this database needs " + recordSize + "-bit records");
            }
            recordSize = forcedRecordSize;
        }
        for (int old : order) {
            long l = recordValue(left[old], newIds, offsets, nodeCount);
            long r = recordValue(right[old], newIds, offsets, nodeCount);
            writeNode(out, l, r, recordSize);
        }
        out.write(new byte[DATA_SECTION_SEPARATOR]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        MmdbDataEncoder metadata = MmdbDataEncoder.metadataSection();
        metadata.writeRecord(metadata(nodeCount, recordSize));
        metadata.writeTo(out);
    }

    /** Nodes still in the tree (painting can orphan subtrees) in depth-first order, so the root becomes node 0. */
    private int[] reachableNodes() {
        int[] order = new int[nodes];
        int count = 0;
        int[] stack = new int[130];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            order[count++] = node;
            if (right[node] > 0) {
                stack[top++] = right[node];
            }
            if (left[node] > 0) {
                stack[top++] = left[node];
            }
        }
        return Arrays.copyOf(order, count);
    }

    private static long recordValue(int child, int[] newIds, int[] offsets, int nodeCount) {
        if (child > 0) {
            return newIds[child];
        }
        if (child == 0) {
            return nodeCount; // the spec's "no data" value
        }
        return (long) nodeCount + DATA_SECTION_SEPARATOR + offsets[-child - 1];
    }

    private static int recordSize(long largestRecord) {
        if (largestRecord < 1L << 24) {
            return 24;
        }
        if (largestRecord < 1L << 28) {
            return 28;
        }
        if (largestRecord < 1L << 32) {
            return 32;
        }
        throw new IllegalStateException("the database is too large for 32-bit records");
    }

    private static void writeNode(OutputStream out, long l, long r, int recordSize) throws IOException {
        switch (recordSize) {
            case 24 -> {
                writeBigEndian(out, l, 3);
                writeBigEndian(out, r, 3);
            }
            case 28 -> {
                // The middle byte holds the top four bits of the left record, then those of the right one.
                writeBigEndian(out, l & 0xFFFFFF, 3);
                out.write((int) (((l >>> 24) << 4) | (r >>> 24)));
                writeBigEndian(out, r & 0xFFFFFF, 3);
            }
            default -> {
                writeBigEndian(out, l, 4);
                writeBigEndian(out, r, 4);
            }
        }
    }

    private Map<String, Object> metadata(int nodeCount, int recordSize) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", new Uint16(2));
        metadata.put("binary_format_minor_version", new Uint16(0));
        metadata.put("build_epoch", new MmdbDataEncoder.Uint64(buildTime.getEpochSecond()));
        metadata.put("database_type", databaseType);
        metadata.put("description", Map.of("en", "Sightline test database"));
        metadata.put("ip_version", new Uint16(addressBytes == 4 ? 4 : 6));
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", (long) nodeCount);
        metadata.put("record_size", new Uint16(recordSize));
        return metadata;
    }

    private static void writeBigEndian(OutputStream out, long value, int bytes) throws IOException {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift) & 0xFF);
        }
    }

    private static int bitAt(byte[] address, int index) {
        return (address[index / 8] >> (7 - index % 8)) & 1;
    }

    private int child(int node, int bit) {
        return bit == 0 ? left[node] : right[node];
    }

    private void setChild(int node, int bit, int child) {
        if (bit == 0) {
            left[node] = child;
        } else {
            right[node] = child;
        }
    }

    private int newNode(int inherited) {
        if (nodes == left.length) {
            left = Arrays.copyOf(left, nodes * 2);
            right = Arrays.copyOf(right, nodes * 2);
        }
        left[nodes] = inherited;
        right[nodes] = inherited;
        return nodes++;
    }
}
