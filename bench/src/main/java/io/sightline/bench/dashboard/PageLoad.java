package io.sightline.bench.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One load of the overview, as the page's own clock saw it: milliseconds from the start of the navigation until
 * {@code document.body.dataset.ready} became "true" and until each panel left {@code loading}, plus what the driver
 * waited, and the bytes of the document and of every request that started before the page was ready, from the
 * Resource Timing API: {@code transferSize} (on the wire with headers; 0 for an HTTP cache hit) and
 * {@code encodedBodySize} (each body as sent, compressed if the server compressed it).
 */
record PageLoad(double renderMs, double wallMs, int requests, long transferBytes, long encodedBytes, List<Panel> panels) {
    /** A panel at the moment the page was ready; {@code readyMs} NaN if it was never seen leaving loading. */
    record Panel(String name, String state, double readyMs) {}

    /** From the JSON the page's observer ({@code panel-observer.js}) answers. */
    static PageLoad of(JsonNode m, double wallMs) {
        List<Panel> panels = new ArrayList<>();
        for (JsonNode p : m.path("panels")) {
            JsonNode ready = p.path("readyMs");
            panels.add(new Panel(p.path("name").asText(), p.path("state").asText(),
                    ready.isNumber() ? ready.asDouble() : Double.NaN));
        }
        return new PageLoad(m.path("readyMs").asDouble(), wallMs, m.path("requests").asInt(), m.path("transferBytes").asLong(),
                m.path("encodedBytes").asLong(), List.copyOf(panels));
    }
}
