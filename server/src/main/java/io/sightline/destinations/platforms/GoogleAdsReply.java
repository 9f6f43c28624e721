package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.Outcome;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Reads Google Ads' answer to {@code uploadClickConversions} into an outcome per row: a request-level error for all
 * rows, or, on success, {@code partialFailureError}'s errors on the rows their field path names.
 */
final class GoogleAdsReply {
    /** gRPC statuses Google's error-types guide says to retry with backoff. */
    private static final Set<String> TRANSIENT = Set.of("RESOURCE_EXHAUSTED", "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoogleAdsReply() {
    }

    static void apply(PlatformReply reply, List<Integer> sent, OutcomeSlots slots, DestinationConfig config, Clock clock) {
        if (!reply.answered()) {
            slots.fill(sent, new Outcome.Retry(null, reply.failure()));
            return;
        }
        JsonNode body = parse(reply.body());
        if (!reply.ok()) {
            JsonNode error = body.path("error");
            String message = PlatformMessages.clean(requestErrorMessage(reply.status(), error), config);
            boolean retry = reply.transientStatus() || TRANSIENT.contains(error.path("status").asText(""));
            slots.fill(sent, retry ? new Outcome.Retry(RetryAfter.fromHeader(reply.headers(), clock), message)
                    : new Outcome.Failed(message));
            return;
        }
        JsonNode partial = body.path("partialFailureError");
        if (!partial.isMissingNode() && !partial.isNull()) {
            boolean located = false;
            for (JsonNode detail : partial.path("details")) {
                for (JsonNode error : detail.path("errors")) {
                    int row = rowOf(error);
                    if (row < 0 || row >= sent.size()) {
                        continue;
                    }
                    located = true;
                    int index = sent.get(row);
                    if (!slots.isSet(index)) {
                        String message = PlatformMessages.clean(error.path("message").asText(partial.path("message").asText()), config);
                        slots.set(index, GoogleAdsDestination.alreadyUploaded(error) ? Outcome.DELIVERED
                                : GoogleAdsDestination.tooRecent(error)
                                ? new Outcome.Retry(GoogleAdsDestination.tooRecentRetry(), message)
                                : new Outcome.Failed(message));
                    }
                }
            }
            if (!located && partial.path("code").asInt(0) != 0) {
                // An error Google did not tie to a row: it concerns the request, so no row can count as accepted.
                slots.fill(sent, new Outcome.Failed(PlatformMessages.clean(partial.path("message").asText(), config)));
            }
        }
        slots.fill(sent, Outcome.DELIVERED);
    }

    /** The row of {@code conversions[i]} an error's location names, or -1. */
    private static int rowOf(JsonNode error) {
        for (JsonNode element : error.path("location").path("fieldPathElements")) {
            if ("conversions".equals(element.path("fieldName").asText()) && element.has("index")) {
                return element.path("index").asInt(-1);
            }
        }
        return -1;
    }

    /** The GoogleAdsFailure's first message when there is one: it names the cause; the status message is generic. */
    private static String requestErrorMessage(int status, JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            for (JsonNode e : detail.path("errors")) {
                if (e.hasNonNull("message")) {
                    return error.path("status").asText("HTTP " + status) + ": " + e.get("message").asText();
                }
            }
        }
        return error.path("status").asText("HTTP " + status) + ": " + error.path("message").asText("(no message)");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }
}
