package io.sightline.destinations.platforms;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A platform's answer to one request: its status and body, or {@code status == -1} when no answer came (connect
 * failure, timeout, reset), which every client treats as transient.
 */
record PlatformReply(int status, String body, HttpHeaders headers, String failure) {
    static PlatformReply exchange(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new PlatformReply(response.statusCode(), response.body(), response.headers(), null);
        } catch (IOException e) {
            // The exception names the host at most, never a header, so no credential can leak through it.
            return new PlatformReply(-1, "", HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
                    "no answer: " + e.getClass().getSimpleName());
        }
    }

    boolean answered() {
        return status >= 0;
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 5xx and 429: the platform asks to come back later. */
    boolean transientStatus() {
        return !answered() || status == 429 || status >= 500;
    }
}
