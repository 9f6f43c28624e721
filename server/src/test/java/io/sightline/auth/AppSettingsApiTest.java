package io.sightline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** PATCH /api/v1/apps/{id}: only what the body names changes; bad values are 400s naming the field. */
class AppSettingsApiTest {
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

    @Test
    void changes_only_the_fields_given_and_keeps_them() throws Exception {
        long id = create("Showroom");
        UUID website = UUID.randomUUID();
        HttpResponse<String> changed = server.admin("PATCH", "/api/v1/apps/" + id,
                "{\"umami_website_id\":\"" + website + "\",\"event_types\":{\"Product Placed\":\"placement\","
                        + "\"Order Completed\":\"conversion\"},\"time_zone\":\"Europe/Berlin\"}");
        assertThat(changed.statusCode()).isEqualTo(200);
        JsonNode app = JSON.readTree(server.admin("GET", "/api/v1/apps/" + id, null).body());
        assertThat(app.get("name").asText()).isEqualTo("Showroom");
        assertThat(app.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(app.get("umami_website_id").asText()).isEqualTo(website.toString());
        assertThat(app.get("event_types").get("Product Placed").asText()).isEqualTo("placement");
        assertThat(app.get("event_types").size()).isEqualTo(2);

        assertThat(server.admin("PATCH", "/api/v1/apps/" + id, "{\"name\":\"Showroom 2\",\"retention_days\":90}")
                .statusCode()).isEqualTo(200);
        try (Connection c = server.db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, retention_days, time_zone, umami_website_id, event_types::text"
                     + " FROM apps WHERE id = " + id)) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Showroom 2");
            assertThat(rs.getInt(2)).isEqualTo(90);
            assertThat(rs.getString(3)).isEqualTo("Europe/Berlin");
            assertThat(rs.getObject(4)).isEqualTo(website);
            assertThat(JSON.readTree(rs.getString(5)).get("Order Completed").asText()).isEqualTo("conversion");
        }

        assertThat(server.admin("PATCH", "/api/v1/apps/" + id, "{\"umami_website_id\":null}").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(server.admin("GET", "/api/v1/apps/" + id, null).body()).get("umami_website_id").isNull())
                .isTrue();
    }

    @Test
    void one_website_id_names_one_app_only() throws Exception {
        UUID website = UUID.randomUUID();
        long first = create("First");
        long second = create("Second");
        assertThat(server.admin("PATCH", "/api/v1/apps/" + first, "{\"umami_website_id\":\"" + website + "\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> clash = server.admin("PATCH", "/api/v1/apps/" + second,
                "{\"umami_website_id\":\"" + website + "\"}");
        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(clash.body()).get("error").get("field").asText()).isEqualTo("umami_website_id");
    }

    @Test
    void refuses_bad_values_naming_the_field_and_changes_nothing() throws Exception {
        long id = create("Careful");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"umami_website_id\":\"not-a-uuid\"}"), "umami_website_id");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"event_types\":{\"Buy\":\"purchase\"}}"),
                "event_types.Buy");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"event_types\":[\"placement\"]}"), "event_types");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"time_zone\":\"Mars/Olympus\"}"), "time_zone");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"retention_days\":0}"), "retention_days");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"name\":\"\"}"), "name");
        assertField(server.admin("PATCH", "/api/v1/apps/" + id, "{\"write_key\":\"wk_mine\"}"), "write_key");
        assertThat(server.admin("PATCH", "/api/v1/apps/999999", "{\"name\":\"x\"}").statusCode()).isEqualTo(404);
        JsonNode app = JSON.readTree(server.admin("GET", "/api/v1/apps/" + id, null).body());
        assertThat(app.get("name").asText()).isEqualTo("Careful");
        assertThat(app.get("event_types").size()).isZero();
        HttpResponse<String> writeKeyOnly = server.post("/api/v1/apps/" + id, "{\"name\":\"x\"}",
                java.util.Map.of("X-Write-Key", server.writeKey(), "X-HTTP-Method-Override", "PATCH"));
        assertThat(writeKeyOnly.statusCode()).isIn(401, 404, 405);
    }

    private static long create(String name) throws Exception {
        return JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"" + name + "\"}").body()).get("id").asLong();
    }

    private static void assertField(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).isEqualTo(field);
    }
}
