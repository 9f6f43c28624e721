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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** screen_view through the native routes: stored with the path of its URL, refused with the field named. */
class ScreenViewIngestApiTest {
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

    private static String view(String id, String visitor, String properties) {
        return "{\"event_id\":\"" + id + "\",\"type\":\"screen_view\",\"visitor_id\":\"" + visitor + "\","
                + "\"properties\":" + properties + "}";
    }

    private static List<String> stored(String sql, String id) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                List<String> row = new ArrayList<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                }
                return row;
            }
        }
    }

    @Test
    void stores_a_page_view_with_the_path_of_its_url() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> r = server.ingest("/api/v1/analytics/track", view(id, "v-page",
                "{\"url\":\"https://shop.example/ar/chair?c=oak\",\"referrer\":\"https://www.google.com/\","
                        + "\"title\":\"Oak chair\"}"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(stored("SELECT event_type, properties->>'path', properties->>'url', properties->>'title'"
                + " FROM analytics_events WHERE event_id = ?", id))
                .containsExactly("screen_view", "/ar/chair", "https://shop.example/ar/chair?c=oak", "Oak chair");
    }

    @Test
    void refuses_an_invalid_view_with_400_naming_the_field() throws Exception {
        String[][] cases = {
                {"{\"url\":\"shop.example/ar/chair\"}", "invalid_value", "properties.url"},
                {"{\"path\":\"ar/chair\"}", "invalid_value", "properties.path"},
                {"{\"name\":\"Home\",\"referrer\":\"google\"}", "invalid_value", "properties.referrer"},
                {"{\"name\":\"" + "n".repeat(201) + "\"}", "too_long", "properties.name"},
                {"{\"path\":\"/\",\"title\":\"" + "t".repeat(501) + "\"}", "too_long", "properties.title"},
                {"{\"title\":\"Home\"}", "missing_field", "properties"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = server.ingest("/api/v1/analytics/track",
                    view(UUID.randomUUID().toString(), "v-bad", c[0]));
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(error.get("field").asText()).as(c[0]).isEqualTo(c[2]);
        }
    }

    @Test
    void keeps_the_valid_views_of_a_batch_and_reports_the_others() throws Exception {
        String good1 = UUID.randomUUID().toString();
        String good2 = UUID.randomUUID().toString();
        HttpResponse<String> r = server.ingest("/api/v1/analytics/batch", "{\"events\":["
                + view(good1, "v-batch", "{\"name\":\"Catalogue\"}") + ","
                + view(UUID.randomUUID().toString(), "v-batch", "{\"url\":\"ftp://shop.example/\"}") + ","
                + view(good2, "v-batch", "{\"path\":\"/ar/sofa\",\"referrer\":\"\"}") + "]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").get(0).get("field").asText()).isEqualTo("properties.url");
        assertThat(stored("SELECT properties->>'name' FROM analytics_events WHERE event_id = ?", good1))
                .containsExactly("Catalogue");
        assertThat(stored("SELECT properties->>'path' FROM analytics_events WHERE event_id = ?", good2))
                .containsExactly("/ar/sofa");
    }

    @Test
    void a_visitor_s_views_are_in_their_privacy_export_and_go_with_their_erasure() throws Exception {
        String visitor = "v-privacy-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        assertThat(server.ingest("/api/v1/analytics/track", view(id, visitor, "{\"path\":\"/ar/lamp\"}")).statusCode())
                .isEqualTo(200);

        HttpResponse<String> export = server.admin("GET", "/api/v1/apps/1/privacy/export?visitor_id=" + visitor, null);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(export.body()).contains(id, "screen_view", "/ar/lamp");

        HttpResponse<String> delete = server.admin("POST", "/api/v1/apps/1/privacy/delete",
                "{\"visitor_id\":\"" + visitor + "\"}");
        assertThat(delete.statusCode()).as(delete.body()).isBetween(200, 204);
        assertThat(stored("SELECT event_type FROM analytics_events WHERE event_id = ?", id)).isEmpty();
    }
}
