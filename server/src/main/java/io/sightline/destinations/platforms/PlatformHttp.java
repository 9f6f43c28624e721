package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.Outcome;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * What the platform clients share about one HTTP exchange: a JSON POST with a bounded wait, how a transport failure
 * reads (always a {@link Outcome.Retry}: the platform never saw the event), the {@code Retry-After} header in both of
 * its RFC 9110 forms, and the scrubbing of every credential out of a message before it becomes an outcome.
 */
final class PlatformHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a slow platform, short enough that one hung request does not hold a worker for minutes. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Platform messages are kept in the dead-letter row; a whole HTML error page is not a message. */
    private static final int MAX_MESSAGE = 1000;

    private PlatformHttp() {
    }

    static HttpRequest.Builder postJson(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String write(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }

    /**
     * Sends without blocking and turns the answer into an outcome with {@code classify}; a transport failure
     * (refused, reset, timed out) becomes a Retry whose message names the failure but never the URL, since a URL may
     * carry a credential (GA4's {@code api_secret}).
     */
    static CompletableFuture<Outcome> exchange(HttpClient http, HttpRequest request, String platform,
                                               DestinationConfig config,
                                               Function<HttpResponse<String>, Outcome> classify) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure == null
                        ? classify.apply(response)
                        : unreachable(platform, failure, config));
    }

    /** Waits for every exchange; on interrupt, cancels what is still running and passes the interrupt on. */
    static List<Outcome> awaitAll(List<CompletableFuture<Outcome>> pending) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>(pending.size());
        try {
            for (CompletableFuture<Outcome> f : pending) {
                outcomes.add(f.get());
            }
        } catch (InterruptedException e) {
            pending.forEach(f -> f.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            // exchange() handles every failure itself; reaching this is a bug in a classify function.
            throw new IllegalStateException("a platform answer could not be classified", e.getCause());
        }
        return outcomes;
    }

    static Outcome unreachable(String platform, Throwable failure, DestinationConfig config) {
        Throwable cause = failure.getCause() != null && failure.getCause() instanceof IOException
                ? failure.getCause() : failure;
        String what = cause instanceof HttpTimeoutException
                ? "no answer within " + TIMEOUT.toSeconds() + " s"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new Outcome.Retry(null, scrub(platform + " unreachable: " + what, config));
    }

    /** A transient HTTP status: the platform is overloaded or down, not refusing the event. */
    static boolean transientStatus(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    static boolean success(int status) {
        return status >= 200 && status < 300;
    }

    /**
     * The wait a {@code Retry-After} header asks for: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3); null
     * when absent or unreadable, so the outbox uses its own backoff.
     */
    static Duration retryAfter(HttpResponse<?> response, Clock clock) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The text with every secret of the destination replaced, cut to a length a dead-letter row can keep. */
    static String scrub(String text, DestinationConfig config) {
        String out = text == null ? "" : text;
        for (String secret : config.secrets().values()) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "[redacted]");
            }
        }
        return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "..." : out;
    }

    /**
     * The first 300 characters of a body, whitespace folded, for a message about an answer the platform does not
     * document.
     */
    static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** True for the 64 lower-case hex characters of a SHA-256, the only form a trait may leave in. */
    static boolean isSha256Hex(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
