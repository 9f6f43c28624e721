package io.sightline.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The columns of {@code analytics_events} (alias {@code e}) the forwarder reads, and their mapping to a
 * {@link StoredEvent}. The list is one constant so that the outbox's and the retries' queries read the same.
 */
final class EventColumns {
    static final String SELECT = "e.event_id, e.app_id, e.event_type, e.event_name, e.occurred_at, e.session_id,"
            + " e.visitor_id, e.user_id, coalesce(e.consent_ads, false), e.properties->>'value', e.properties->>'currency',"
            + " e.click_ids::text, e.utm_source, e.utm_medium, e.utm_campaign, e.utm_content, e.utm_term,"
            + " e.email_sha256, e.phone_sha256, e.phone_e164_sha256, e.external_id_sha256,"
            + " e.app_version, e.os, e.os_version, e.device_model, e.browser, e.locale, e.country, e.city,"
            + " e.properties->>'url', e.properties->>'referrer', e.properties->>'title', e.properties::text";
    private static final String[] UTM = {"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"};

    private final ObjectMapper mapper;

    EventColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The event whose columns start at {@code first}, or null when the row had none (erased or expired). */
    StoredEvent read(ResultSet rs, int first) throws SQLException {
        int i = first;
        UUID eventId = rs.getObject(i++, UUID.class);
        if (eventId == null) {
            return null;
        }
        long appId = rs.getLong(i++);
        String type = rs.getString(i++);
        String name = rs.getString(i++);
        Timestamp occurred = rs.getTimestamp(i++);
        String session = rs.getString(i++);
        String visitor = rs.getString(i++);
        String user = rs.getString(i++);
        boolean ads = rs.getBoolean(i++);
        Double value = number(rs.getString(i++));
        String currency = rs.getString(i++);
        Map<String, String> clickIds = object(rs.getString(i++));
        Map<String, String> campaign = new LinkedHashMap<>();
        for (String key : UTM) {
            String v = rs.getString(i++);
            if (v != null) {
                campaign.put(key, v);
            }
        }
        return new StoredEvent(appId, eventId, type, name, occurred.toInstant(), session, visitor, user, ads, value,
                currency, clickIds, campaign, rs.getString(i++), rs.getString(i++), rs.getString(i++),
                rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                rs.getString(i++), rs.getString(i++), rs.getString(i));
    }

    private static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null; // validation keeps a conversion's value numeric; any other event's is not sent as one
        }
    }

    private Map<String, String> object(String json) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        if (json == null) {
            return values;
        }
        try {
            JsonNode node = mapper.readTree(json);
            node.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual()) {
                    values.put(f.getKey(), f.getValue().asText());
                }
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("click_ids is not a JSON object", e);
        }
        return values;
    }
}
