package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google OAuth 2.0 access tokens from a refresh token, cached until shortly before they expire.
 *
 * <p>Follows Google's "Using OAuth 2.0 for Web Server Applications", section "Refreshing an access token": a POST
 * of {@code client_id}, {@code client_secret}, {@code refresh_token} and {@code grant_type=refresh_token} as a
 * form to the token endpoint ({@code https://oauth2.googleapis.com/token}) answers {@code access_token} and
 * {@code expires_in} in seconds; an {@code invalid_grant} or {@code invalid_client} error is permanent (the grant
 * was revoked or the client is wrong). The cache key is a hash of the three credentials, so a changed secret gets a
 * fresh token and no credential is kept as a map key in clear.
 */
final class GoogleTokenCache {
    /** Refresh this long before Google's stated expiry, so a token never dies mid-request. */
    static final Duration MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI tokenUrl;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    /** What a token request gave: a token, or an error that is transient (retry) or not. */
    record Grant(String accessToken, String error, boolean transientError) {
        boolean granted() {
            return accessToken != null;
        }
    }

    private record Token(String value, Instant refreshAt) {}

    GoogleTokenCache(HttpClient http, URI tokenUrl, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clock = clock;
    }

    Grant token(String clientId, String clientSecret, String refreshToken) throws InterruptedException {
        String key = key(clientId, clientSecret, refreshToken);
        Token cached = tokens.get(key);
        if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
            return new Grant(cached.value(), null, false);
        }
        return refresh(key, clientId, clientSecret, refreshToken);
    }

    /** Forgets the token after the API refused it, so the next {@link #token} asks Google again. */
    void invalidate(String clientId, String clientSecret, String refreshToken) {
        tokens.remove(key(clientId, clientSecret, refreshToken));
    }

    private Grant refresh(String key, String clientId, String clientSecret, String refreshToken)
            throws InterruptedException {
        String form = "client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret)
                + "&refresh_token=" + encode(refreshToken) + "&grant_type=refresh_token";
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        PlatformReply reply = PlatformReply.exchange(http, request);
        if (!reply.answered()) {
            return new Grant(null, "OAuth token endpoint: " + reply.failure(), true);
        }
        JsonNode body = parse(reply.body());
        if (reply.ok() && body.hasNonNull("access_token")) {
            long expiresIn = body.path("expires_in").asLong(3600);
            Instant refreshAt = clock.instant().plusSeconds(expiresIn).minus(MARGIN);
            tokens.put(key, new Token(body.get("access_token").asText(), refreshAt));
            return new Grant(body.get("access_token").asText(), null, false);
        }
        String error = body.path("error").asText("HTTP " + reply.status());
        String description = body.path("error_description").asText("");
        String message = "OAuth token refresh refused: " + error + (description.isEmpty() ? "" : ": " + description);
        return new Grant(null, message, reply.transientStatus());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (java.io.IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String key(String clientId, String clientSecret, String refreshToken) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {clientId, clientSecret, refreshToken}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
