package io.sightline.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once at start from the classpath folder {@value #FOLDER} (flat: every file there is
 * served under {@code /assets/<name>}) and uPlot from its webjar (under {@code /assets/vendor/<name>}).
 *
 * <p>Caching: {@link #version()} is a hash of every file, so it changes with any of them. {@code index.html}
 * carries it as {@code ?v=} on each asset it names ({@value #VERSION_MARK} in the file), and each JavaScript
 * module's relative imports get it too at load time. Without that, {@code import "./x.js"} would bypass the
 * version, and a module imported once with and once without it would run twice (modules are keyed by URL).
 */
public final class WebAssets {
    static final String FOLDER = "web";
    static final String VERSION_MARK = "__VERSION__";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String> VENDOR = Map.of(
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8");
    /** A served name: letters, digits, '.', '-', '_' and a known extension; never a path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    /** {@code from "./x.js"}, {@code import "./x.js"}, {@code import("./x.js")}: a module of the same folder. */
    private static final Pattern RELATIVE_IMPORT =
            Pattern.compile("(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)([\"'])(\\./[A-Za-z0-9_.-]+\\.js)\\2");

    private final String version;
    private final StaticFile index;
    private final Map<String, StaticFile> files;
    private final Map<String, StaticFile> vendor;

    private WebAssets(String version, StaticFile index, Map<String, StaticFile> files, Map<String, StaticFile> vendor) {
        this.version = version;
        this.index = index;
        this.files = files;
        this.vendor = vendor;
    }

    /** Reads every file; fails start-up when the folder, index.html or uPlot is missing from the build. */
    public static WebAssets load() {
        ClassLoader loader = WebAssets.class.getClassLoader();
        Map<String, byte[]> raw = readFolder(loader);
        Map<String, byte[]> vendorRaw = new TreeMap<>();
        VENDOR.keySet().forEach(name -> vendorRaw.put(name, resource(loader, UPLOT + name)));
        byte[] indexRaw = raw.remove("index.html");
        if (indexRaw == null) {
            throw new IllegalStateException("the resource " + FOLDER + "/index.html is missing from the build");
        }
        String version = version(indexRaw, raw, vendorRaw);

        Map<String, StaticFile> files = new TreeMap<>();
        raw.forEach((name, bytes) -> {
            byte[] served = name.endsWith(".js") ? versionImports(bytes, version) : bytes;
            files.put(name, StaticFile.of(type(name).orElseThrow(), served));
        });
        Map<String, StaticFile> vendor = new TreeMap<>();
        vendorRaw.forEach((name, bytes) -> vendor.put(name, StaticFile.of(VENDOR.get(name), bytes)));
        byte[] indexBytes = new String(indexRaw, StandardCharsets.UTF_8).replace(VERSION_MARK, version)
                .getBytes(StandardCharsets.UTF_8);
        return new WebAssets(version, StaticFile.of(TYPES.get("html"), indexBytes), Map.copyOf(files),
                Map.copyOf(vendor));
    }

    /** Changes whenever any served file does: the {@code ?v=} that makes long caching safe. */
    public String version() {
        return version;
    }

    StaticFile index() {
        return index;
    }

    Optional<StaticFile> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    Optional<StaticFile> vendor(String name) {
        return Optional.ofNullable(vendor.get(name));
    }

    static Optional<String> type(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(name.substring(dot + 1)));
    }

    static String versionImports(String source, String version) {
        Matcher m = RELATIVE_IMPORT.matcher(source);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + r.group(3) + "?v=" + version
                + r.group(2)));
    }

    private static byte[] versionImports(byte[] source, String version) {
        return versionImports(new String(source, StandardCharsets.UTF_8), version).getBytes(StandardCharsets.UTF_8);
    }

    /** The files directly in the folder, from a directory (tests, IDE) or from the server's jar. */
    private static Map<String, byte[]> readFolder(ClassLoader loader) {
        URL url = loader.getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException("the resource folder " + FOLDER + "/ is missing from the build");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return readDirectory(jar.provider().getPath(uri));
                } catch (java.nio.file.FileSystemAlreadyExistsException opened) {
                    return readDirectory(FileSystems.getFileSystem(uri).provider().getPath(uri));
                }
            }
            return readDirectory(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + FOLDER + "/", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unreadable location of " + FOLDER + "/: " + url, e);
        }
    }

    private static Map<String, byte[]> readDirectory(Path folder) throws IOException {
        Map<String, byte[]> read = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path path : (Iterable<Path>) entries::iterator) {
                String name = path.getFileName().toString().replace("/", "");
                if (Files.isRegularFile(path) && NAME.matcher(name).matches() && type(name).isPresent()) {
                    read.put(name, Files.readAllBytes(path));
                }
            }
        }
        return read;
    }

    private static byte[] resource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + path + " is missing from the build (uPlot's webjar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    private static String version(byte[] index, Map<String, byte[]> files, Map<String, byte[]> vendor) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(index);
            for (Map<String, byte[]> group : java.util.List.of(files, vendor)) {
                group.forEach((name, bytes) -> {
                    sha.update(name.getBytes(StandardCharsets.UTF_8));
                    sha.update(bytes);
                });
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
