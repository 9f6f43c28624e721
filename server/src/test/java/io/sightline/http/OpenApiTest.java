package io.sightline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    /**
     * Routes documented ahead of the branches that add them (issue 4). The lead removes each one as its branch
     * is merged; {@link #pending_routes_are_not_yet_in_the_table} fails for any left behind.
     */
    /** The security requirements (scheme names, one alternative each) that each access level is documented with. */
    private static final Map<Access, Set<String>> SCHEMES = Map.of(
            Access.PUBLIC, Set.of(),
            Access.WRITE_KEY, Set.of("writeKey", "writeKeyBasic"),
            Access.ADMIN, Set.of("adminToken"),
            Access.STATS, Set.of("apiToken", "adminToken"),
            Access.SESSION, Set.of("session", "shareToken"),
            Access.METRICS, Set.of("metricsToken", "adminToken"));

    private static TestServer server;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        document = JSON.readTree(server.get("/api/v1/openapi.json", Map.of()).body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serves_an_openapi_3_1_document_without_credentials() throws Exception {
        HttpResponse<String> response = server.get("/api/v1/openapi.json", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.get("openapi").asText()).startsWith("3.1.");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Sightline");
    }

    @Test
    void documents_exactly_the_routes_of_the_route_table() {
        Set<String> table = new TreeSet<>();
        server.sightline().routes().forEach(r -> table.add(r.method() + " " + r.path()));
        Set<String> documented = documentedRoutes();

        Set<String> undocumented = new TreeSet<>(table);
        undocumented.removeAll(documented);
        assertThat(undocumented).as("routes of the server missing from openapi.json").isEmpty();

        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(table);
        assertThat(missing).as("routes in openapi.json that the server does not have").isEmpty();
    }

    @Test
    void documents_each_route_with_the_credentials_its_access_level_asks_for() {
        for (HttpServer.Route route : server.sightline().routes()) {
            JsonNode operation = operation(route.method(), route.path());
            if (operation.isMissingNode()) {
                continue; // reported by documents_exactly_the_routes_of_the_route_table
            }
            Set<String> schemes = securitySchemes(operation);
            String name = route.method() + " " + route.path();
            Access known = route.access().stream().filter(Access.class::isInstance).map(Access.class::cast)
                    .filter(SCHEMES::containsKey).findFirst().orElse(null);
            if (known != null) {
                assertThat(schemes).as(name + " is " + known).isEqualTo(SCHEMES.get(known));
            } else {
                assertThat(schemes).as(name + " needs credentials (" + route.access() + ")").isNotEmpty();
            }
            assertThat(operation.has("security")).as(name + " states its security, [] when public").isTrue();
        }
    }

    @Test
    void every_security_scheme_and_reference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        JsonNode defined = document.at("/components/securitySchemes");
        forEachOperation((name, operation) ->
                securitySchemes(operation).forEach(scheme ->
                        assertThat(defined.has(scheme)).as(name + " uses " + scheme).isTrue()));
    }

    @Test
    void declares_every_path_parameter() {
        forEachOperation((name, operation) -> {
            Set<String> declared = new HashSet<>();
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode p = resolve(parameter);
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as(name + " path parameter required").isTrue();
                    declared.add(p.path("name").asText());
                }
            }
            Set<String> inPath = new HashSet<>();
            Matcher m = PATH_PARAM.matcher(name.substring(name.indexOf(' ') + 1));
            while (m.find()) {
                inPath.add(m.group(1));
            }
            assertThat(declared).as(name).isEqualTo(inPath);
        });
    }

    @Test
    void every_error_response_has_the_one_error_shape_and_every_credentialed_route_answers_401() {
        forEachOperation((name, operation) -> {
            operation.path("responses").properties().forEach(e -> {
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5") && !name.endsWith("/health/ready")) {
                    JsonNode schema = resolve(e.getValue()).at("/content/application~1json/schema");
                    assertThat(schema.path("$ref").asText()).as(name + " " + e.getKey())
                            .isEqualTo("#/components/schemas/Error");
                }
            });
            if (!securitySchemes(operation).isEmpty()) {
                assertThat(operation.path("responses").has("401")).as(name + " documents 401").isTrue();
            }
        });
    }

    private static Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        forEachOperation((name, operation) -> routes.add(name));
        return routes;
    }

    private interface OperationVisitor {
        void visit(String name, JsonNode operation);
    }

    /** Visits each operation as "METHOD /path". */
    private static void forEachOperation(OperationVisitor visitor) {
        document.path("paths").properties().forEach(path ->
                path.getValue().properties().forEach(op -> {
                    String method = op.getKey().toUpperCase(Locale.ROOT);
                    if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE").contains(method)) {
                        visitor.visit(method + " " + path.getKey(), op.getValue());
                    }
                }));
    }

    private static JsonNode operation(String method, String path) {
        return document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
    }

    /** The scheme names of an operation's security alternatives ({@code [{"a": []}, {"b": []}]} gives a, b). */
    private static Set<String> securitySchemes(JsonNode operation) {
        Set<String> schemes = new HashSet<>();
        for (JsonNode alternative : operation.path("security")) {
            alternative.fieldNames().forEachRemaining(schemes::add);
        }
        return schemes;
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
