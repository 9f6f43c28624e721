package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** An app for the Segment tests, which maps the track name "Product Placed" to {@code placement}. */
record SegmentTestApp(long id, String writeKey) {

    static SegmentTestApp create(TestServer server, String name) throws Exception {
        JsonNode app = new ObjectMapper().readTree(
                server.admin("POST", "/api/v1/apps", "{\"name\":\"" + name + "\"}").body());
        SegmentTestApp created = new SegmentTestApp(app.get("id").asLong(), app.get("write_key").asText());
        assertThat(server.admin("PATCH", "/api/v1/apps/" + created.id(),
                "{\"event_types\":{\"Product Placed\":\"placement\"}}").statusCode()).isEqualTo(200);
        return created;
    }

    /** The write key as the HTTP Basic user with an empty password, as Segment's SDKs send it. */
    static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }
}
