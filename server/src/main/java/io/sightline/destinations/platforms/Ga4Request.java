package io.sightline.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.destinations.DestinationConfig;
import io.sightline.destinations.Outgoing;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON body of one Measurement Protocol request: one person ({@link Identity}) and up to 25 of their events. See
 * {@link Ga4Destination} for the documented rules each field follows.
 */
final class Ga4Request {
    private static final Pattern APP_INSTANCE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    /** GA4's own limit for {@code page_location}, longer than the 100 characters of other parameters. */
    private static final int MAX_PAGE_LOCATION = 1000;
    private static final int MAX_CLIENT_ID = 256;

    private Ga4Request() {
    }

    /** Who a request speaks for: what GA4 takes once per request, so events group by it. */
    record Identity(String field, String id, String userId, String emailSha256, String phoneSha256) {}

    /** The event's identity, or null for an app-stream event without the app's {@code app_instance_id}. */
    static Identity identity(Outgoing e, boolean appStream) {
        JsonNode props = properties(e);
        String email = PlatformHttp.isSha256Hex(e.emailSha256()) ? e.emailSha256() : null;
        String phone = PlatformHttp.isSha256Hex(e.phoneE164Sha256()) ? e.phoneE164Sha256() : null;
        if (appStream) {
            String id = props.path("app_instance_id").asText("");
            return APP_INSTANCE_ID.matcher(id).matches()
                    ? new Identity("app_instance_id", id, e.userId(), email, phone) : null;
        }
        String clientId = props.path("client_id").isTextual() ? props.path("client_id").asText().strip() : "";
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
            clientId = e.visitorId() != null ? e.visitorId() : e.eventId().toString();
        }
        return new Identity("client_id", clientId, e.userId(), email, phone);
    }

    static String body(DestinationConfig config, List<Outgoing> events) {
        Identity who = identity(events.get(0), config.get("firebase_app_id") != null);
        ObjectNode body = PlatformHttp.JSON.createObjectNode();
        body.put(who.field(), who.id());
        if (who.userId() != null) {
            body.put("user_id", who.userId());
        }
        body.put("timestamp_micros", events.stream()
                .mapToLong(e -> Ga4Destination.micros(e.occurredAt())).min().orElseThrow());
        if (who.emailSha256() != null || who.phoneSha256() != null) {
            ObjectNode userData = body.putObject("user_data");
            if (who.emailSha256() != null) {
                userData.putArray("sha256_email_address").add(who.emailSha256());
            }
            if (who.phoneSha256() != null) {
                userData.putArray("sha256_phone_number").add(who.phoneSha256());
            }
            body.putObject("consent").put("ad_user_data", "GRANTED");
        }
        ArrayNode list = body.putArray("events");
        events.forEach(e -> list.add(event(e)));
        return PlatformHttp.write(body);
    }

    private static ObjectNode event(Outgoing e) {
        ObjectNode event = PlatformHttp.JSON.createObjectNode();
        String name = e.platformEventName();
        event.put("name", Ga4Names.eventNameProblem(name) == null ? name : Ga4Names.eventName(name));
        event.put("timestamp_micros", Ga4Destination.micros(e.occurredAt()));
        ObjectNode params = event.putObject("params");
        if (e.value() != null) {
            params.put("value", e.value());
            if (e.currency() != null) {
                params.put("currency", e.currency());
            }
            params.put("transaction_id", e.eventId().toString());
        }
        if (!e.fromApp() && e.url() != null) {
            params.put("page_location", e.url().length() > MAX_PAGE_LOCATION
                    ? e.url().substring(0, MAX_PAGE_LOCATION) : e.url());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = properties(e).fields();
        while (fields.hasNext() && params.size() < Ga4Names.MAX_PARAMS) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            if (params.has(key) || key.equals("client_id") || key.equals("app_instance_id")
                    || !Ga4Names.paramAllowed(key)) {
                continue;
            }
            if (v.isNumber()) {
                params.set(key, v);
            } else if (v.isTextual()) {
                params.put(key, Ga4Names.value(v.asText()));
            } else if (v.isBoolean()) {
                params.put(key, v.asText());
            }
        }
        return event;
    }

    private static JsonNode properties(Outgoing e) {
        try {
            JsonNode node = PlatformHttp.JSON.readTree(e.propertiesJson());
            return node != null && node.isObject() ? node : PlatformHttp.JSON.createObjectNode();
        } catch (IOException notJson) {
            return PlatformHttp.JSON.createObjectNode();
        }
    }
}
