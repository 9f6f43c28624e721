package io.sightline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house's layering, read from the source text of every main class: which package refers to which
 * ({@code io.sightline.<package>.} anywhere in a file, imports and fully qualified names alike).
 *
 * <p>Run {@code mvn -B -q -pl server test -Dtest=ArchitectureTest} to print the package graph with each arrow's
 * files; an arrow that runs against {@link #LAYERS} fails the build and is listed.
 */
class ArchitectureTest {
    /** The package of the composition root, {@code io.sightline} itself. */
    private static final String ROOT = "(root)";
    /**
     * Lowest first. A package may refer only to packages on a lower layer: the edge ({@code http}) and the shared
     * kernel sit low and know no feature; the composition root, on top, knows everything.
     */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("config", "error", "sketch"),
            Set.of("event", "http", "funnel"),
            Set.of("store", "auth"),
            Set.of("enrich"),
            Set.of("ingest", "rollup", "destinations"),
            Set.of("stats", "privacy", "web"),
            Set.of("ops"),
            Set.of(ROOT));

    private static final Path SOURCES = Path.of("src/main/java/io/sightline");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.sightline\\.(\\w+)");
    private static final Pattern HTTP_EXCEPTION = Pattern.compile("\\bio\\.sightline\\.http\\.ApiException\\b|\\bApiException\\b");

    private static Map<Path, String> files;

    @BeforeAll
    static void readSources() throws IOException {
        files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(SOURCES.relativize(p), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertThat(files).as("main sources under %s", SOURCES.toAbsolutePath()).hasSizeGreaterThan(100);
    }

    @Test
    void only_handlers_and_http_speak_http() {
        List<String> offenders = new ArrayList<>();
        files.forEach((path, text) -> {
            if (packageOf(path).equals("http") || isHandler(path)) {
                return;
            }
            if (text.contains("io.javalin")) {
                offenders.add(path + " refers to io.javalin");
            }
            if (HTTP_EXCEPTION.matcher(text).find()) {
                offenders.add(path + " refers to http.ApiException");
            }
        });
        assertThat(offenders).as("classes outside http/ and the handlers that speak HTTP").isEmpty();
    }

    @Test
    void http_knows_no_feature() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph.getOrDefault("http", Set.of())).as("packages http/ refers to")
                .isSubsetOf(Set.of("config", "error"));
    }

    @Test
    void every_package_has_a_layer() {
        Set<String> layered = new TreeSet<>();
        LAYERS.forEach(layered::addAll);
        Set<String> packages = new TreeSet<>();
        files.keySet().forEach(p -> packages.add(packageOf(p)));
        assertThat(layered).as("packages in LAYERS; add a new package to its layer").containsAll(packages);
    }

    @Test
    void every_arrow_points_down() {
        Map<String, Set<String>> graph = graph();
        Map<String, Set<String>> because = because();
        List<String> against = new ArrayList<>();
        StringBuilder map = new StringBuilder("Package graph, top layer first (an arrow names the files it comes from):\n");
        for (int layer = LAYERS.size() - 1; layer >= 0; layer--) {
            for (String from : new TreeSet<>(LAYERS.get(layer))) {
                map.append(String.format("  %d %-8s -> %s%n", layer + 1, from, graph.getOrDefault(from, Set.of())));
                for (String to : graph.getOrDefault(from, Set.of())) {
                    if (layerOf(to) >= layer) {
                        against.add(from + " -> " + to + " (" + because.get(from + " -> " + to) + ")");
                    }
                }
            }
        }
        int arrows = graph.values().stream().mapToInt(Set::size).sum();
        map.append(String.format("%d arrows, %d against the layering%n", arrows, against.size()));
        against.forEach(a -> map.append("  against: ").append(a).append('\n'));
        System.out.print(map);
        assertThat(against).as("arrows that run against the layering").isEmpty();
    }

    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        because().keySet().forEach(arrow -> {
            String[] ends = arrow.split(" -> ");
            graph.computeIfAbsent(ends[0], k -> new TreeSet<>()).add(ends[1]);
        });
        return graph;
    }

    /** "from -> to" to the files of {@code from} that refer to {@code to}. */
    private static Map<String, Set<String>> because() {
        Map<String, Set<String>> because = new TreeMap<>();
        files.forEach((path, text) -> {
            String from = packageOf(path);
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                String name = m.group(1);
                String to = Character.isUpperCase(name.charAt(0)) ? ROOT : name;
                if (!to.equals(from)) {
                    because.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(path.getFileName().toString());
                }
            }
        });
        return because;
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String packageOf(Path relative) {
        return relative.getNameCount() == 1 ? ROOT : relative.getName(0).toString();
    }

    /** An HTTP handler of a feature: the only place outside http/ that may speak HTTP. */
    private static boolean isHandler(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith("Handler.java") || name.endsWith("Routes.java");
    }
}
