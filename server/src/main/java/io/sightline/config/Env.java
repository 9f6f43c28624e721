package io.sightline.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed, validated reads of environment variables; every failure names the variable. */
final class Env {
    private final Map<String, String> vars;

    Env(Map<String, String> vars) {
        this.vars = vars;
    }

    Optional<String> optional(String name) {
        String value = vars.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number, got \"" + shorten(raw.get()) + "\"");
        }
        if (value < min || value > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    boolean bool(String name, boolean fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes": case "on": return true;
            case "false": case "0": case "no": case "off": return false;
            default: throw new ConfigException(name, "must be true or false, got \"" + shorten(raw.get()) + "\"");
        }
    }

    /** Accepts "500ms", "30s", "10m", "24h", "7d" or an ISO-8601 duration such as "PT30S". */
    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Duration value = parseDuration(name, raw.get());
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    Path path(String name, String fallback) {
        String raw = string(name, fallback);
        try {
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(name, "is not a valid path: " + e.getReason());
        }
    }

    /** An absolute http or https URL with a host, such as {@code http://127.0.0.1:9000/}; empty when unset. */
    Optional<URI> httpUrl(String name) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(raw.get());
        } catch (URISyntaxException e) {
            throw new ConfigException(name, "is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new ConfigException(name, "must be an http:// or https:// URL with a host, got \""
                    + shorten(raw.get()) + "\"");
        }
        return Optional.of(uri);
    }

    /** Comma-separated, blanks skipped. */
    List<String> list(String name) {
        List<String> items = new ArrayList<>();
        for (String part : string(name, "").split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return List.copyOf(items);
    }

    List<CidrBlock> cidrs(String name) {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String part : string(name, "").split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                blocks.add(CidrBlock.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, e.getMessage());
            }
        }
        return List.copyOf(blocks);
    }

    private static Duration parseDuration(String name, String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(raw.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long amount = Long.parseLong(s.substring(0, s.length() - 1));
            switch (s.charAt(s.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                case 'd': return Duration.ofDays(amount);
                default: break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // fall through to the error below
        }
        throw new ConfigException(name, "must be a duration such as 500ms, 30s, 10m, 24h, 7d or PT30S, got \""
                + shorten(raw) + "\"");
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
