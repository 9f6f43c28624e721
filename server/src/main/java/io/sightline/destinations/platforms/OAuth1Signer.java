package io.sightline.destinations.platforms;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * OAuth 1.0a request signing with HMAC-SHA1, as RFC 5849 section 3 gives it and X's "Authorizing a request" /
 * "Creating a signature" pages apply it.
 *
 * <p>The signature base string (3.4.1) is the upper-case method, the base string URI (scheme and host lower-case,
 * default port dropped, no query) and the normalised parameters (3.4.1.3.2: every query, form-body and
 * {@code oauth_*} parameter percent-encoded, sorted by name then value, joined with {@code =} and {@code &}), each
 * percent-encoded and joined with {@code &}. The key is the encoded consumer secret, {@code &}, and the encoded token
 * secret (3.4.2). Percent-encoding (3.6) leaves only {@code A-Z a-z 0-9 - . _ ~} unencoded, with upper-case hex.
 * A JSON body is not a parameter source (3.4.1.3.1 counts only form-encoded bodies). Nonce and clock are injected so
 * tests can reproduce a published signature.
 */
final class OAuth1Signer {
    record Credentials(String consumerKey, String consumerSecret, String token, String tokenSecret) {
        @Override
        public String toString() {
            return "Credentials[secrets hidden]";
        }
    }

    record Param(String name, String value) {}

    private final Supplier<String> nonces;
    private final Clock clock;

    OAuth1Signer(Supplier<String> nonces, Clock clock) {
        this.nonces = nonces;
        this.clock = clock;
    }

    /** A random 32-hex-character nonce per request, as X asks for "a unique token your application generates". */
    static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        };
    }

    /** The {@code Authorization} header value for a request with no form parameters (a JSON body). */
    String authorization(String method, URI uri, Credentials credentials) {
        List<Param> oauth = new ArrayList<>(List.of(
                new Param("oauth_consumer_key", credentials.consumerKey()),
                new Param("oauth_nonce", nonces.get()),
                new Param("oauth_signature_method", "HMAC-SHA1"),
                new Param("oauth_timestamp", Long.toString(clock.instant().getEpochSecond())),
                new Param("oauth_token", credentials.token()),
                new Param("oauth_version", "1.0")));
        List<Param> all = new ArrayList<>(oauth);
        all.addAll(queryParams(uri));
        String signature = sign(baseString(method, uri, all), credentials.consumerSecret(), credentials.tokenSecret());
        oauth.add(new Param("oauth_signature", signature));
        StringBuilder header = new StringBuilder("OAuth ");
        for (int i = 0; i < oauth.size(); i++) {
            Param p = oauth.get(i);
            header.append(i == 0 ? "" : ", ").append(encode(p.name())).append("=\"").append(encode(p.value())).append('"');
        }
        return header.toString();
    }

    /** RFC 5849 3.4.1: {@code params} are decoded name/value pairs from every source, {@code oauth_signature} excluded. */
    static String baseString(String method, URI uri, List<Param> params) {
        List<String[]> encoded = new ArrayList<>();
        for (Param p : params) {
            encoded.add(new String[] {encode(p.name()), encode(p.value())});
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder normalized = new StringBuilder();
        for (String[] p : encoded) {
            normalized.append(normalized.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(uri)) + "&" + encode(normalized.toString());
    }

    static String sign(String baseString, String consumerSecret, String tokenSecret) {
        String key = encode(consumerSecret) + "&" + encode(tokenSecret == null ? "" : tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    }

    /** RFC 5849 3.6: UTF-8 bytes; unreserved characters as they are, every other byte as %XX with upper-case hex. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** RFC 5849 3.4.1.3.1: the query's pairs, decoded the form way ({@code +} is a space). */
    static List<Param> queryParams(URI uri) {
        return formParams(uri.getRawQuery());
    }

    static List<Param> formParams(String raw) {
        List<Param> params = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new Param(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return params;
    }

    /** RFC 5849 3.4.1.2: scheme and host lower-case, the port only when not the scheme's default, the path as sent. */
    static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }
}
