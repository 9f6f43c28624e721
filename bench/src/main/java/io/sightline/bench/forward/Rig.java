package io.sightline.bench.forward;

import io.sightline.bench.ingest.SightlineProcess;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every measurement works with: the running server and the credentials it printed at its first start (a
 * restarted server prints none), the app and its four destinations, the admin API, the look into the outbox, the
 * four receivers and the event every sender sends; {@code lost} adds up, over the platforms, the acknowledged
 * events a receiver never got.
 */
record Rig(SightlineProcess server, String writeKey, String adminToken, long appId, List<Long> destinations,
           AdminApi admin, OutboxProbe probe, List<PlatformReceiver> receivers, ConversionEvents events, AtomicLong lost) {

    URI batchUrl() {
        return URI.create("http://127.0.0.1:" + server.port() + "/api/v1/analytics/batch");
    }

    void clearReceipts() {
        receivers.forEach(r -> r.receipts().clear());
    }

    void enableDestinations(boolean enabled) throws Exception {
        admin.setEnabled(appId, destinations, enabled);
    }
}
