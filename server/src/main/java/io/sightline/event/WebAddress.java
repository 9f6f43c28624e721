package io.sightline.event;

/**
 * Reads the parts of a URL that a view needs: whether it is absolute, its host and its path. Deliberately not
 * {@link java.net.URI}: browsers leave characters such as {@code |} and {@code ^} unescaped in {@code location.href},
 * which {@code URI} refuses, and a view must not be lost over that. A URL here is a scheme, {@code ://}, an
 * authority and the rest, with no white space or control characters.
 */
final class WebAddress {
    private WebAddress() {
    }

    /** Whether {@code s} is an absolute http or https URL with a host. */
    static boolean isWebUrl(String s) {
        int rest = afterScheme(s);
        if (rest < 0) {
            return false;
        }
        String scheme = s.substring(0, rest - 3);
        return (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) && hasHost(s, rest) && clean(s);
    }

    /** Whether {@code s} is an absolute URL of any scheme with an authority ({@code android-app://…} too). */
    static boolean isAbsoluteUrl(String s) {
        int rest = afterScheme(s);
        return rest >= 0 && hasHost(s, rest) && clean(s);
    }

    /**
     * The path of an absolute URL accepted by {@link #isAbsoluteUrl}, as written (not decoded), without query or
     * fragment; {@code "/"} when the URL has none, as a browser's {@code location.pathname} says.
     */
    static String path(String url) {
        int start = endOfAuthority(url, afterScheme(url));
        int end = start;
        while (end < url.length() && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        return start == end ? "/" : url.substring(start, end);
    }

    /** The index just past {@code scheme://}, or -1 when {@code s} does not start with a scheme and {@code //}. */
    private static int afterScheme(String s) {
        int colon = s.indexOf("://");
        if (colon < 1 || !asciiLetter(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (!asciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return colon + 3;
    }

    private static boolean asciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static int endOfAuthority(String s, int start) {
        int i = start;
        while (i < s.length() && s.charAt(i) != '/' && s.charAt(i) != '?' && s.charAt(i) != '#') {
            i++;
        }
        return i;
    }

    /** The authority, less any user info and port, is not empty. */
    private static boolean hasHost(String s, int start) {
        String authority = s.substring(start, endOfAuthority(s, start));
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostAndPort.startsWith("[")) {
            return hostAndPort.indexOf(']') > 1;
        }
        int colon = hostAndPort.indexOf(':');
        return (colon < 0 ? hostAndPort : hostAndPort.substring(0, colon)).length() > 0;
    }

    private static boolean clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }
}
