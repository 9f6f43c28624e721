package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Click ids, UTM parameters and traits through the real server into analytics_events, and the 400s naming a field. */
class MatchingDataApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The stored matching columns of one event, as text (NULL as null). */
    private static Map<String, String> stored(UUID eventId) throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement("SELECT click_ids::text,"
                + " utm_source, utm_medium, utm_campaign, utm_content, utm_term, email_sha256, phone_sha256,"
                + " phone_e164_sha256, external_id_sha256 FROM analytics_events WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("event " + eventId + " stored").isTrue();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
            }
        }
        return columns;
    }

    @Test
    void stores_click_ids_as_json_utm_parameters_as_sent_and_traits_only_as_their_hashes() throws Exception {
        UUID full = UUID.randomUUID();
        UUID bare = UUID.randomUUID();
        JsonNode answer = ok(server.ingest("/api/v1/analytics/batch", "{\"events\":["
                + "{\"event_id\":\"" + full + "\",\"type\":\"conversion\",\"properties\":{\"cta_id\":\"buy\"},"
                + "\"context\":{\"click_ids\":{\"gclid\":\"Cj0KCQjw-abc_DEF\",\"fbc\":\"fb.1.1554763741205.IwAR2F4\","
                + "\"twclid\":\"\"},\"campaign\":{\"utm_source\":\"google\",\"utm_medium\":\"cpc\","
                + "\"utm_campaign\":\"Spring Sale\",\"utm_content\":\"ad-7\",\"utm_term\":\"oak chair\"},"
                + "\"traits\":{\"email\":\" Ada@Example.org \",\"phone\":\"+44 20 7946 0958\","
                + "\"external_id\":\"crm-Ada-1815\"}}},"
                + "{\"type\":\"screenshot\",\"context\":{\"click_ids\":{\"gclid\":\"Cj0 KCQ\"}}},"
                + "{\"event_id\":\"" + bare + "\",\"type\":\"screenshot\"},"
                + "{\"type\":\"screenshot\",\"context\":{\"traits\":{\"phone\":\"020 7946 0958\"}}}]}"));

        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected")).hasSize(2);
        JsonNode gclid = answer.get("rejected").get(0);
        assertThat(gclid.get("index").asInt()).isEqualTo(1);
        assertThat(gclid.get("field").asText()).isEqualTo("context.click_ids.gclid");
        JsonNode phone = answer.get("rejected").get(1);
        assertThat(phone.get("index").asInt()).isEqualTo(3);
        assertThat(phone.get("field").asText()).isEqualTo("context.traits.phone");
        assertThat(phone.get("message").asText()).doesNotContain("7946");

        Map<String, String> row = stored(full);
        assertThat(JSON.readTree(row.get("click_ids"))).isEqualTo(JSON.readTree(
                "{\"gclid\":\"Cj0KCQjw-abc_DEF\",\"fbc\":\"fb.1.1554763741205.IwAR2F4\"}"));
        assertThat(row).containsEntry("utm_source", "google").containsEntry("utm_medium", "cpc")
                .containsEntry("utm_campaign", "Spring Sale").containsEntry("utm_content", "ad-7")
                .containsEntry("utm_term", "oak chair")
                .containsEntry("email_sha256", sha256("ada@example.org"))
                .containsEntry("phone_sha256", sha256("442079460958"))
                .containsEntry("phone_e164_sha256", sha256("+442079460958"))
                .containsEntry("external_id_sha256", sha256("crm-Ada-1815"));
        assertThat(stored(bare).values()).as("an event without matching data stores NULLs").containsOnlyNulls();
    }

    @Test
    void track_answers_400_naming_the_trait_or_click_id_that_is_wrong() throws Exception {
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track",
                "{\"type\":\"conversion\",\"properties\":{\"cta_id\":\"buy\"},"
                        + "\"context\":{\"traits\":{\"phone\":\"(650) 555-1212\"}}}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("field").asText()).isEqualTo("context.traits.phone");
        assertThat(error.get("message").asText()).contains("country").doesNotContain("555");

        r = server.ingest("/api/v1/analytics/track", "{\"type\":\"screenshot\",\"context\":{\"click_ids\":"
                + "{\"fbp\":\"1596403881668.1116446470\"}}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).isEqualTo("context.click_ids.fbp");

        r = server.ingest("/api/v1/analytics/track", "{\"type\":\"screenshot\",\"context\":{\"campaign\":"
                + "{\"utm_id\":\"x\"}}}");
        assertThat(r.statusCode()).isEqualTo(400);
        error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_field");
        assertThat(error.get("field").asText()).isEqualTo("context.campaign.utm_id");
    }

    @Test
    void a_pre_hashed_trait_is_stored_lower_cased_and_not_hashed_again() throws Exception {
        UUID id = UUID.randomUUID();
        String digest = sha256("ada@example.org");
        ok(server.ingest("/api/v1/analytics/track", "{\"event_id\":\"" + id + "\",\"type\":\"screenshot\","
                + "\"context\":{\"traits\":{\"email\":\"" + digest.toUpperCase() + "\",\"phone\":\"" + digest + "\"}}}"));

        assertThat(stored(id)).containsEntry("email_sha256", digest).containsEntry("phone_sha256", digest)
                .containsEntry("phone_e164_sha256", digest);
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
