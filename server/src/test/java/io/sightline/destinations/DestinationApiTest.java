package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The destinations admin API through the real server (stand-in platform clients declaring the real fields): what
 * it stores, what it answers, what it refuses, and that no credential ever shows in an answer, the log, or the
 * table in clear.
 */
class DestinationApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/v1/apps/1/destinations";
    /** Every credential the tests send; none may appear in an answer or in the log. */
    private static final List<String> SENT_SECRETS = new ArrayList<>();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream stderr;
    private static TestServer server;

    @BeforeAll
    static void start() {
        stderr = System.err;
        // slf4j-simple writes to whatever System.err is at the moment: keep a copy of everything the server logs.
        System.setErr(new PrintStream(new Tee(stderr, LOG), true, StandardCharsets.UTF_8));
        server = TestServer.start(Map.of(), Clock.systemUTC(), TestPlatforms.all());
    }

    @AfterAll
    static void stop() {
        try {
            server.close();
        } finally {
            System.setErr(stderr);
        }
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the log captured during the tests").contains("Destination");
        for (String secret : SENT_SECRETS) {
            assertThat(log).as("the server log").doesNotContain(secret);
        }
    }

    @AfterEach
    void no_secret_in_the_log_so_far() {
        String log = LOG.toString(StandardCharsets.UTF_8);
        for (String secret : SENT_SECRETS) {
            assertThat(log).as("the server log").doesNotContain(secret);
        }
    }

    @Test
    void creates_lists_shows_updates_and_deletes_a_meta_destination_without_ever_answering_its_token()
            throws Exception {
        String token = secret("EAAG");
        HttpResponse<String> created = send("POST", BASE, "{\"type\":\"meta\",\"name\":\"Meta main\","
                + "\"config\":{\"pixel_id\":\"123456789012345\",\"access_token\":\"" + token + "\","
                + "\"test_event_code\":\"TEST4711\"},"
                + "\"events\":[{\"match\":\"conversion\",\"name\":\"Purchase\"},{\"match\":\"custom:signup\","
                + "\"name\":\"CompleteRegistration\"}]}", 201);
        JsonNode d = JSON.readTree(created.body());
        long id = d.get("id").asLong();
        assertThat(d.get("type").asText()).isEqualTo("meta");
        assertThat(d.get("enabled").asBoolean()).isTrue();
        assertThat(d.get("send_client_data").asBoolean()).isFalse();
        assertThat(d.get("config")).isEqualTo(JSON.readTree(
                "{\"pixel_id\":\"123456789012345\",\"test_event_code\":\"TEST4711\"}"));
        assertThat(d.get("secrets_set")).isEqualTo(JSON.readTree("[\"access_token\"]"));
        assertThat(d.get("events").get(1).get("match").asText()).isEqualTo("custom:signup");

        HttpResponse<String> list = send("GET", BASE, null, 200);
        assertThat(JSON.readTree(list.body()).get("destinations").findValuesAsText("name")).contains("Meta main");
        JsonNode shown = JSON.readTree(send("GET", BASE + "/" + id, null, 200).body());
        assertThat(shown.get("config")).isEqualTo(d.get("config"));

        JsonNode patched = JSON.readTree(send("PATCH", BASE + "/" + id,
                "{\"enabled\":false,\"send_client_data\":true,\"config\":{\"test_event_code\":null}}", 200).body());
        assertThat(patched.get("enabled").asBoolean()).isFalse();
        assertThat(patched.get("send_client_data").asBoolean()).isTrue();
        assertThat(patched.get("config")).isEqualTo(JSON.readTree("{\"pixel_id\":\"123456789012345\"}"));
        assertThat(patched.get("secrets_set")).as("a secret not given is kept")
                .isEqualTo(JSON.readTree("[\"access_token\"]"));
        assertThat(patched.get("events")).as("events not given are kept").isEqualTo(d.get("events"));
        assertThat(storedSecrets(id)).containsEntry("access_token", token);

        send("DELETE", BASE + "/" + id, null, 204);
        send("GET", BASE + "/" + id, null, 404);
        send("DELETE", BASE + "/" + id, null, 404);
        for (HttpResponse<String> r : List.of(created, list)) {
            assertThat(r.body()).doesNotContain(token);
        }
    }

    @Test
    void a_patch_replaces_only_the_secret_it_gives_and_renames_without_losing_the_others() throws Exception {
        String key = secret("ck"), consumerSecret = secret("cs"), access = secret("at"), accessSecret = secret("as");
        long id = JSON.readTree(send("POST", BASE, "{\"type\":\"x\",\"name\":\"X ads\",\"config\":{"
                + "\"pixel_id\":\"o8z6j\",\"consumer_key\":\"" + key + "\",\"consumer_secret\":\"" + consumerSecret
                + "\",\"access_token\":\"" + access + "\",\"access_token_secret\":\"" + accessSecret + "\"}}", 201)
                .body()).get("id").asLong();
        String newAccess = secret("at2");
        HttpResponse<String> patched = send("PATCH", BASE + "/" + id,
                "{\"name\":\"X ads (EU)\",\"config\":{\"access_token\":\"" + newAccess + "\"}}", 200);
        assertThat(JSON.readTree(patched.body()).get("secrets_set")).isEqualTo(JSON.readTree(
                "[\"access_token\",\"access_token_secret\",\"consumer_key\",\"consumer_secret\"]"));
        assertThat(storedSecrets(id)).isEqualTo(Map.of("consumer_key", key, "consumer_secret", consumerSecret,
                "access_token", newAccess, "access_token_secret", accessSecret));
        assertThat(patched.body()).doesNotContain(newAccess).doesNotContain(key);
    }

    @Test
    void a_destination_without_events_gets_the_platform_default_mapping() throws Exception {
        JsonNode d = JSON.readTree(send("POST", BASE, "{\"type\":\"umami\",\"name\":\"Umami\",\"config\":{"
                + "\"url\":\"https://umami.example.com\",\"website_id\":\"" + UUID.randomUUID() + "\"}}", 201).body());
        assertThat(d.get("events")).isEqualTo(JSON.readTree(
                "[{\"match\":\"qr_scan\",\"name\":null},{\"match\":\"conversion\",\"name\":null}]"));
        assertThat(d.get("secrets_set")).isEmpty();
    }

    @Test
    void another_apps_destination_and_an_unknown_app_are_404() throws Exception {
        long id = createGa4("GA4 for 404");
        long other = JSON.readTree(server.admin("POST", "/api/v1/apps", "{\"name\":\"Other\"}").body())
                .get("id").asLong();
        String there = "/api/v1/apps/" + other + "/destinations/" + id;
        send("GET", there, null, 404);
        send("PATCH", there, "{\"enabled\":false}", 404);
        send("DELETE", there, null, 404);
        assertThat(JSON.readTree(send("GET", "/api/v1/apps/" + other + "/destinations", null, 200).body())
                .get("destinations")).isEmpty();
        send("GET", "/api/v1/apps/999999/destinations", null, 404);
        send("GET", BASE + "/" + id, null, 200);
    }

    @Test
    void a_second_destination_of_the_same_name_is_a_conflict() throws Exception {
        createGa4("GA4 twice");
        HttpResponse<String> again = send("POST", BASE, ga4Body("GA4 twice", secret("g")), 409);
        assertThat(field(again)).isEqualTo("name");
        long other = createGa4("GA4 other");
        assertThat(field(send("PATCH", BASE + "/" + other, "{\"name\":\"GA4 twice\"}", 409))).isEqualTo("name");
    }

    @Test
    void credentials_rest_in_the_table_only_sealed_and_bound_to_their_destination() throws Exception {
        String apiSecret = secret("ga4");
        long id = JSON.readTree(send("POST", BASE, ga4Body("GA4 sealed", apiSecret), 201).body()).get("id").asLong();
        byte[] sealed;
        String config;
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT secrets, config::text, rules::text, secret_names::text FROM destinations WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                sealed = rs.getBytes(1);
                config = rs.getString(2) + rs.getString(3) + rs.getString(4);
            }
        }
        byte[] plain = apiSecret.getBytes(StandardCharsets.UTF_8);
        assertThat(indexOf(sealed, plain)).as("the secret's bytes in the sealed column").isEqualTo(-1);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(apiSecret)
                .doesNotContain(Base64.getEncoder().encodeToString(plain));
        assertThat(HexFormat.of().formatHex(sealed)).doesNotContain(HexFormat.of().formatHex(plain));
        assertThat(config).doesNotContain(apiSecret).contains("api_secret");
        assertThat(sealed[0]).as("version byte").isEqualTo(SecretCipher.VERSION);

        SecretCipher right = testCipher();
        assertThat(new String(right.open(sealed, 1, "GA4 sealed"), StandardCharsets.UTF_8)).contains(apiSecret);
        SecretCipher wrong = new SecretCipher(new SecretKeySpec(new byte[32], "AES"));
        assertThatThrownBy(() -> wrong.open(sealed, 1, "GA4 sealed")).isInstanceOf(SecretCipher.UnreadableSecrets.class);
        assertThatThrownBy(() -> right.open(sealed, 2, "GA4 sealed")).as("another app")
                .isInstanceOf(SecretCipher.UnreadableSecrets.class);
        assertThatThrownBy(() -> right.open(sealed, 1, "GA4 other")).as("another destination")
                .isInstanceOf(SecretCipher.UnreadableSecrets.class);
    }

    @Test
    void the_rules_table_holds_the_rules_of_enabled_destinations_only() throws Exception {
        long meta = JSON.readTree(send("POST", BASE, "{\"type\":\"meta\",\"name\":\"Meta rules\",\"config\":{"
                + "\"pixel_id\":\"42\",\"access_token\":\"" + secret("EAA") + "\"},\"events\":["
                + "{\"match\":\"conversion\"},{\"match\":\"custom:signup\",\"name\":\"Lead\"}]}", 201).body())
                .get("id").asLong();
        long umami = JSON.readTree(send("POST", BASE, "{\"type\":\"umami\",\"name\":\"Umami rules\",\"config\":{"
                + "\"url\":\"http://127.0.0.1:3000\",\"website_id\":\"" + UUID.randomUUID() + "\"}}", 201).body())
                .get("id").asLong();
        assertThat(rules(meta)).containsExactlyInAnyOrder("1 conversion null true", "1 custom:signup Lead true");
        assertThat(rules(umami)).containsExactlyInAnyOrder("1 qr_scan null false", "1 conversion null false");

        send("PATCH", BASE + "/" + meta, "{\"enabled\":false}", 200);
        assertThat(rules(meta)).isEmpty();
        send("PATCH", BASE + "/" + meta, "{\"enabled\":true,\"events\":[{\"match\":\"qr_scan\",\"name\":\"ViewContent\"}]}", 200);
        assertThat(rules(meta)).containsExactly("1 qr_scan ViewContent true");
        send("DELETE", BASE + "/" + umami, null, 204);
        assertThat(rules(umami)).isEmpty();
    }

    @Test
    void the_store_hands_the_worker_enabled_destinations_with_their_credentials_decrypted() throws Exception {
        String apiSecret = secret("ga4w");
        long on = JSON.readTree(send("POST", BASE, ga4Body("GA4 worker", apiSecret), 201).body()).get("id").asLong();
        long off = createGa4("GA4 worker off");
        send("PATCH", BASE + "/" + off, "{\"enabled\":false}", 200);

        List<ActiveDestination> active = store().enabled();
        assertThat(active).extracting(ActiveDestination::id).contains(on).doesNotContain(off);
        ActiveDestination worker = active.stream().filter(a -> a.id() == on).findFirst().orElseThrow();
        assertThat(worker.type()).isEqualTo(DestinationType.GA4);
        assertThat(worker.appId()).isEqualTo(1);
        assertThat(worker.config().require("api_secret")).isEqualTo(apiSecret);
        assertThat(worker.config().require("measurement_id")).isEqualTo("G-ABC123XYZ");
        assertThat(worker.config().toString()).doesNotContain(apiSecret);
        assertThat(worker.rules()).containsExactly(new EventRule("conversion", "purchase"));
    }

    @Test
    void credentials_under_another_key_are_left_out_for_the_worker_and_must_all_be_given_again_to_edit()
            throws Exception {
        long id = createGa4("GA4 rekeyed");
        PGSimpleDataSource ds = dataSource();
        DestinationStore otherKey = new DestinationStore(ds, new SecretCipher(new SecretKeySpec(new byte[32], "AES")),
                Clock.systemUTC());
        assertThat(otherKey.unreadable()).contains(id);
        assertThat(otherKey.enabled()).extracting(ActiveDestination::id).doesNotContain(id);
        Platform ga4 = TestPlatforms.all().get(DestinationType.GA4);
        JsonNode enable = JSON.readTree("{\"enabled\":true}");
        assertThatThrownBy(() -> otherKey.update(1, id, current -> DestinationRequest.patch(enable, ga4, current)))
                .isInstanceOfSatisfying(DestinationError.class, e -> assertThat(e.field()).isEqualTo("config.api_secret"));
        String again = secret("ga4again");
        JsonNode newSecret = JSON.readTree("{\"config\":{\"api_secret\":\"" + again + "\"}}");
        otherKey.update(1, id, current -> DestinationRequest.patch(newSecret, ga4, current));
        assertThat(otherKey.enabled()).filteredOn(a -> a.id() == id).singleElement()
                .satisfies(a -> assertThat(a.config().require("api_secret")).isEqualTo(again));
    }

    @Test
    void a_patch_that_drops_a_required_secret_or_changes_the_type_is_refused_and_changes_nothing() throws Exception {
        long id = createGa4("GA4 keep");
        assertThat(field(send("PATCH", BASE + "/" + id, "{\"config\":{\"api_secret\":null}}", 400)))
                .isEqualTo("config.api_secret");
        assertThat(field(send("PATCH", BASE + "/" + id, "{\"type\":\"meta\"}", 400))).isEqualTo("type");
        assertThat(field(send("PATCH", BASE + "/" + id, "{\"name\":\"renamed\",\"events\":[]}", 400)))
                .isEqualTo("events");
        JsonNode kept = JSON.readTree(send("GET", BASE + "/" + id, null, 200).body());
        assertThat(kept.get("name").asText()).isEqualTo("GA4 keep");
        assertThat(kept.get("secrets_set")).isEqualTo(JSON.readTree("[\"api_secret\"]"));
    }

    /** Each body, its status, and the field the answer must name. */
    @Test
    void refuses_invalid_bodies_with_a_400_naming_the_field() throws Exception {
        String token = secret("EAAinvalid");
        String meta = "\"type\":\"meta\",\"name\":\"m\",";
        String okConfig = "\"config\":{\"pixel_id\":\"1\",\"access_token\":\"" + token + "\"}";
        String[][] cases = {
                {"{\"name\":\"m\"," + okConfig + "}", "type"},
                {"{\"type\":\"tiktok\",\"name\":\"m\"," + okConfig + "}", "type"},
                {"{\"type\":7,\"name\":\"m\"," + okConfig + "}", "type"},
                {"{\"type\":\"meta\"," + okConfig + "}", "name"},
                {"{\"type\":\"meta\",\"name\":\"\"," + okConfig + "}", "name"},
                {"{\"type\":\"meta\",\"name\":\"" + "n".repeat(101) + "\"," + okConfig + "}", "name"},
                {"{\"type\":\"meta\",\"name\":\"a\\nb\"," + okConfig + "}", "name"},
                {"{" + meta + "\"enabled\":\"yes\"," + okConfig + "}", "enabled"},
                {"{" + meta + "\"send_client_data\":1," + okConfig + "}", "send_client_data"},
                {"{" + meta + "\"config\":[]}", "config"},
                {"{" + meta + "\"config\":{\"access_token\":\"" + token + "\"}}", "config.pixel_id"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"1\"}}", "config.access_token"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"12ab\",\"access_token\":\"" + token + "\"}}", "config.pixel_id"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"" + "1".repeat(21) + "\",\"access_token\":\"" + token + "\"}}", "config.pixel_id"},
                {"{" + meta + "\"config\":{\"pixel_id\":true,\"access_token\":\"" + token + "\"}}", "config.pixel_id"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"1\",\"access_token\":\"has space " + token + "\"}}", "config.access_token"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"1\",\"access_token\":\"" + "t".repeat(4097) + "\"}}", "config.access_token"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"1\",\"access_token\":\"" + token + "\",\"pixel\":\"2\"}}", "config.pixel"},
                {"{" + meta + "\"config\":{\"pixel_id\":\"1\",\"access_token\":\"" + token + "\",\"test_event_code\":\"x\"}}", "config.test_event_code"},
                {"{" + meta + okConfig + ",\"events\":{}}", "events"},
                {"{" + meta + okConfig + ",\"events\":[]}", "events"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"conversion\"},\"x\"]}", "events[1]"},
                {"{" + meta + okConfig + ",\"events\":[{\"name\":\"Purchase\"}]}", "events[0].match"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"conversion\"},{\"match\":\"checkout\"}]}", "events[1].match"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"custom:\"}]}", "events[0].match"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"conversion\"},{\"match\":\"conversion\"}]}", "events[1].match"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"qr_scan\"},{\"match\":\"conversion\",\"name\":\"\"}]}", "events[1].name"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"conversion\",\"name\":5}]}", "events[0].name"},
                {"{" + meta + okConfig + ",\"events\":[{\"match\":\"conversion\",\"value\":5}]}", "events[0].value"},
                {"{" + meta + okConfig + ",\"secrets\":{}}", "secrets"},
                {"{\"type\":\"umami\",\"name\":\"u\",\"config\":{\"url\":\"ftp://x\",\"website_id\":\"" + UUID.randomUUID() + "\"}}", "config.url"},
                {"{\"type\":\"umami\",\"name\":\"u\",\"config\":{\"url\":\"https://\",\"website_id\":\"" + UUID.randomUUID() + "\"}}", "config.url"},
                {"{\"type\":\"umami\",\"name\":\"u\",\"config\":{\"url\":\"https://u.example\",\"website_id\":\"nope\"}}", "config.website_id"},
                {"{\"type\":\"google_ads\",\"name\":\"g\",\"config\":{\"customer_id\":\"123-456-7890\",\"client_id\":\"c\","
                        + "\"developer_token\":\"" + token + "\",\"client_secret\":\"" + token + "\",\"refresh_token\":\"" + token + "\"}}", "config.customer_id"},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            HttpResponse<String> r = server.admin("POST", BASE, c[0]);
            String named = r.statusCode() == 400 ? field(r) : "(status " + r.statusCode() + ")";
            if (!c[1].equals(named)) {
                wrong.add(c[0] + " -> " + named + ", expected " + c[1] + ": " + r.body());
            }
            assertThat(r.body()).doesNotContain(token);
        }
        assertThat(wrong).isEmpty();
        assertThat(cases.length).isGreaterThanOrEqualTo(20);
        assertThat(JSON.readTree(send("GET", BASE, null, 200).body()).get("destinations").findValuesAsText("name"))
                .doesNotContain("m", "u", "g");
    }

    @Test
    void bounds_the_body_and_names_a_bad_destination_id() throws Exception {
        String huge = "{\"type\":\"meta\",\"name\":\"big\",\"config\":{\"pixel_id\":\"" + "1".repeat(70_000) + "\"}}";
        assertThat(server.admin("POST", BASE, huge).statusCode()).isEqualTo(413);
        assertThat(field(send("GET", BASE + "/abc", null, 400))).isEqualTo("dest");
    }

    private static long createGa4(String name) throws Exception {
        return JSON.readTree(send("POST", BASE, ga4Body(name, secret("ga4")), 201).body()).get("id").asLong();
    }

    private static String ga4Body(String name, String apiSecret) {
        return "{\"type\":\"ga4\",\"name\":\"" + name + "\",\"config\":{\"measurement_id\":\"G-ABC123XYZ\","
                + "\"api_secret\":\"" + apiSecret + "\"}}";
    }

    /** A fresh credential, remembered so that the log and the answers can be searched for it. */
    private static String secret(String prefix) {
        String s = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        SENT_SECRETS.add(s);
        return s;
    }

    private static HttpResponse<String> send(String method, String path, String body, int status) {
        HttpResponse<String> r = server.admin(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        for (String secret : SENT_SECRETS) {
            assertThat(r.body()).as("an answer").doesNotContain(secret);
        }
        return r;
    }

    private static String field(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/error/field").asText();
    }

    private static DestinationStore store() {
        return new DestinationStore(dataSource(), testCipher(), Clock.systemUTC());
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl());
        ds.setUser("postgres");
        ds.setPassword(io.sightline.testing.TestDatabase.server().password());
        return ds;
    }

    /** The credentials as stored, opened with the test servers' key. */
    private static Map<String, String> storedSecrets(long id) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT app_id, name, secrets FROM destinations WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                byte[] plain = testCipher().open(rs.getBytes(3), rs.getLong(1), rs.getString(2));
                return JSON.readValue(plain, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
            }
        }
    }

    private static SecretCipher testCipher() {
        return new SecretCipher(new SecretKeySpec(Base64.getDecoder().decode(TestServer.TEST_SECRET_KEY), "AES"));
    }

    private static List<String> rules(long destination) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT app_id, match, name, advertising FROM destination_rules WHERE destination_id = ?")) {
            ps.setLong(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getBoolean(4));
                }
            }
        }
        return rows;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
