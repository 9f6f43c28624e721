package io.sightline.bench.forward;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * The conversion the benchmark sends: ads consent, a click id for each of the four ad platforms ({@code gclid},
 * {@code fbc}, {@code li_fat_id}, {@code twclid}), a trait email (hashed by the server at ingestion) and a value
 * with its currency, so that every event matches the default rule of every destination and none is skipped.
 */
final class ConversionEvents {
    private static final String EVENT = "{\"event_id\":\"%s\",\"type\":\"conversion\",\"occurred_at\":\"%s\","
            + "\"session_id\":\"bench-session\",\"properties\":{\"cta_id\":\"buy-now\",\"value\":349.0,\"currency\":\"EUR\"},"
            + "\"context\":{\"device\":{\"os\":\"iOS\",\"os_version\":\"17.4\",\"model\":\"iPhone14,2\",\"type\":\"phone\"},"
            + "\"app\":{\"version\":\"2.3.0\",\"build\":\"41\"},\"locale\":\"de-DE\","
            + "\"consent\":{\"analytics\":true,\"ads\":true},"
            + "\"click_ids\":{\"gclid\":\"Cj0KCQjwbenchAbCdEfGhIjKlMnOpQrStUvWxYz\",\"fbc\":\"fb.1.1596403881668.IwAR2F4bench\","
            + "\"li_fat_id\":\"df6a5d2d-e4b0-4a0b-a2a9-1d1c1ec4cd5d\",\"twclid\":\"23opevjt88psuo13lu8d020qkn\"},"
            + "\"traits\":{\"email\":\" Ada.Lovelace@Example.org \"}}}";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    ConversionEvents() {
    }

    /** One event with the given id and time (the text of an instant, or a placeholder). */
    String event(String id, String occurredAt) {
        return String.format(Locale.ROOT, EVENT, id, occurredAt);
    }

    /**
     * A {@code /batch} body of the given ids, each with a time of its own: a minute before {@code now}, one
     * millisecond apart (see {@link DistinctTimesRequestSource} for why times must differ).
     */
    String batch(UUID[] ids, Instant now) {
        StringBuilder body = new StringBuilder(ids.length * 700).append("{\"events\":[");
        for (int i = 0; i < ids.length; i++) {
            body.append(i == 0 ? "" : ",").append(event(ids[i].toString(), TIME.format(now.minusSeconds(60).minusMillis(i))));
        }
        return body.append("]}").toString();
    }

    /**
     * A {@code /batch} body of {@code size} events whose ids are all {@code placeholder} and whose times are all
     * {@link DistinctTimesRequestSource#MARKER}, for the load generator to fill in.
     */
    String batchTemplate(int size, String placeholder) {
        StringBuilder body = new StringBuilder(size * 700).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append(event(placeholder, DistinctTimesRequestSource.MARKER));
        }
        return body.append("]}").toString();
    }
}
