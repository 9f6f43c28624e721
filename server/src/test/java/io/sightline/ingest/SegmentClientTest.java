package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.sightline.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment's own Java library (analytics-java 3.5.4), unchanged but for its endpoint, sends to Sightline: it posts
 * its batches to {@code /v1/import/} with the write key in the body, and every message lands mapped.
 */
class SegmentClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static long appId;
    private static String writeKey;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        SegmentTestApp app = SegmentTestApp.create(server, "Segment client");
        appId = app.id();
        writeKey = app.writeKey();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void analytics_java_sends_track_screen_and_identify_that_land_mapped() throws Exception {
        String visitor = "v-" + UUID.randomUUID();
        String user = "u-" + UUID.randomUUID();
        String placed = "m-" + UUID.randomUUID();
        CountDownLatch acknowledged = new CountDownLatch(4);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Analytics analytics = Analytics.builder(writeKey)
                .endpoint("http://127.0.0.1:" + server.sightline().port())
                .flushQueueSize(10)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        acknowledged.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                        acknowledged.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Product Placed").anonymousId(visitor).messageId(placed)
                    .properties(Map.of("object_id", "chair-7", "surface", "horizontal")));
            analytics.enqueue(TrackMessage.builder("Menu Opened").anonymousId(visitor)
                    .properties(Map.of("menu", "main")));
            analytics.enqueue(IdentifyMessage.builder().anonymousId(visitor).userId(user)
                    .traits(Map.of("email", "lin@example.com", "name", "Lin")));
            analytics.enqueue(ScreenMessage.builder("Catalog").anonymousId(visitor)
                    .properties(Map.of("category", "chairs")));
            analytics.flush();
            assertThat(acknowledged.await(30, TimeUnit.SECONDS)).as("every message acknowledged").isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();

        List<String> placements = column("SELECT event_id::text || ' ' || event_name || ' ' || user_id || ' '"
                + " || (properties->>'object_id') FROM analytics_events WHERE app_id = ? AND visitor_id = ?"
                + " AND event_type = 'placement'", visitor);
        assertThat(placements).containsExactly(MessageIds.eventId(appId, "segment", placed) + " Product Placed "
                + user + " chair-7");
        assertThat(column("SELECT event_name || ' ' || (properties->>'menu') FROM analytics_events WHERE app_id = ?"
                + " AND visitor_id = ? AND event_type = 'custom'", visitor)).containsExactly("Menu Opened main");
        assertThat(column("SELECT user_id || ' ' || email_sha256 FROM segment_identities WHERE app_id = ?"
                + " AND visitor_id = ?", visitor)).containsExactly(user + " " + SegmentApiTest.sha256("lin@example.com"));
    }

    /** Needs the screen_view type of the views part of issue 17: passes once that is merged. */
    @Test
    void analytics_java_screens_land_as_views() throws Exception {
        String visitor = "v-" + UUID.randomUUID();
        CountDownLatch acknowledged = new CountDownLatch(1);
        Analytics analytics = Analytics.builder(writeKey)
                .endpoint("http://127.0.0.1:" + server.sightline().port())
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        acknowledged.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        acknowledged.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(ScreenMessage.builder("Catalog").anonymousId(visitor)
                    .properties(Map.of("category", "chairs")));
            analytics.flush();
            assertThat(acknowledged.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(column("SELECT event_type || ' ' || (properties->>'name') || ' ' || (properties->>'category')"
                + " FROM analytics_events WHERE app_id = ? AND visitor_id = ?", visitor))
                .containsExactly("screen_view Catalog chairs");
    }

    private static List<String> column(String sql, String visitor) throws Exception {
        try (Connection c = server.db(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, appId);
            ps.setString(2, visitor);
            List<String> values = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }
}
