package io.sightline.ingest.umami;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The page an Umami message was sent from, in the form Sightline's view properties take. Umami's trackers send it
 * in two forms: version 2 a percent-encoded path ({@code "/pricing?plan=pro"}) and a percent-encoded title, version
 * 3 the absolute URL and the plain title. A path is made absolute against {@code https://} and the payload's
 * {@code hostname}, as Umami's server does; without a hostname (a server-side client) only the path is known.
 *
 * @param url   an absolute http(s) URL, or null
 * @param path  the URL's path, decoded as Umami shows it ({@code /über}), or null
 */
record UmamiPage(String url, String path) {
    /** The longest {@code url} and {@code referrer} a view keeps; longer ones lose their query first. */
    static final int MAX_URL = 2000;
    static final int MAX_PATH = 1000;
    static final int MAX_TITLE = 500;

    static UmamiPage of(String url, String hostname) {
        if (url == null || url.isBlank()) {
            return new UmamiPage(null, null);
        }
        String absolute;
        if (isAbsolute(url)) {
            absolute = url;
        } else if (hostname != null && isHostname(hostname)) {
            absolute = "https://" + hostname + (url.startsWith("/") ? url : "/" + url);
        } else {
            return new UmamiPage(null, decodedPath(url.startsWith("/") ? url : "/" + url));
        }
        absolute = shortened(absolute);
        return new UmamiPage(absolute, decodedPath(pathOf(absolute)));
    }

    /** An absolute http(s) referrer, shortened like a URL; null for none, for a path or for the page's own site. */
    static String referrer(String referrer) {
        return referrer == null || !isAbsolute(referrer) ? null : shortened(referrer);
    }

    /** The title decoded (version 2 encodes it; a title that is not valid percent-encoding is kept as sent). */
    static String title(String title) {
        if (title == null || title.isEmpty()) {
            return null;
        }
        String decoded = decodeOrKeep(title);
        if (decoded.length() <= MAX_TITLE) {
            return decoded;
        }
        int end = Character.isHighSurrogate(decoded.charAt(MAX_TITLE - 1)) ? MAX_TITLE - 1 : MAX_TITLE;
        return decoded.substring(0, end);
    }

    private static boolean isAbsolute(String url) {
        String lower = url.length() > 8 ? url.substring(0, 8).toLowerCase(Locale.ROOT) : url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** A host name as {@code location.hostname} gives it: no scheme, path, user or whitespace. */
    private static boolean isHostname(String hostname) {
        if (hostname.isEmpty() || hostname.length() > 253) {
            return false;
        }
        for (int i = 0; i < hostname.length(); i++) {
            char c = hostname.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A URL over the limit without its fragment, then without its query: the path is what views count. */
    private static String shortened(String url) {
        String s = url;
        int hash = s.indexOf('#');
        if (s.length() > MAX_URL && hash >= 0) {
            s = s.substring(0, hash);
        }
        int query = s.indexOf('?');
        if (s.length() > MAX_URL && query >= 0) {
            s = s.substring(0, query);
        }
        return s;
    }

    /** The path of an absolute URL: from the first '/' after the authority to the query or fragment. */
    private static String pathOf(String absolute) {
        int authority = absolute.indexOf("//") + 2;
        int end = absolute.length();
        for (int i = authority; i < absolute.length(); i++) {
            char c = absolute.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int slash = absolute.indexOf('/', authority);
        return slash < 0 || slash >= end ? "/" : absolute.substring(slash, end);
    }

    private static String decodedPath(String path) {
        int end = path.length();
        int query = path.indexOf('?');
        int hash = path.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        String decoded = decodeOrKeep(path.substring(0, end));
        return decoded.length() <= MAX_PATH ? decoded : null;
    }

    /**
     * Percent-decoding as JavaScript's {@code decodeURIComponent}, which Umami's server applies: every {@code %XX}
     * is a byte of UTF-8, {@code +} stays a plus; text that does not decode (a lone "%", bytes that are not UTF-8)
     * is kept as it is, as Umami's {@code safeDecodeURIComponent} keeps it.
     */
    static String decodeOrKeep(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp != '%') {
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                return s;
            }
            bytes.write(hi * 16 + lo);
            i += 3;
        }
        return utf8OrKeep(bytes.toByteArray(), s);
    }

    private static String utf8OrKeep(byte[] bytes, String original) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return original;
        }
    }
}
