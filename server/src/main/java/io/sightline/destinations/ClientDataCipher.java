package io.sightline.destinations;

import io.sightline.store.ClientDataSealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Seals an event's client IP address and User-Agent for the destinations whose admin turned on
 * {@code send_client_data}, and opens them again for the delivery. Sealed with the destinations' key and bound to
 * the app and the event, so a copy cannot be moved to another event. Nothing is sealed for an app without such a
 * destination, nor for an event whose consent no such destination may use (an ad platform needs ads consent).
 *
 * <p>Which apps want it is read from {@code destinations} at most every {@link #REFRESH}, so a destination that
 * turns the option on gets client data for events received from then on, within that delay.
 */
public final class ClientDataCipher implements ClientDataSealer {
    private static final Logger log = LoggerFactory.getLogger(ClientDataCipher.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    /** Destination names refuse control characters, so no destination's credentials share this binding. */
    private static final String BINDING = "\u0001client data of event ";

    /** What an app's client-data destinations take: any event (Umami), or only those with ads consent. */
    private record Wants(boolean withoutAdsConsent) {}

    /** The opened pair; either may be null. Never logged. */
    public record ClientData(String ip, String userAgent) {
        @Override
        public String toString() {
            return "ClientData[…]";
        }
    }

    private final SecretCipher cipher;
    private final DataSource dataSource;
    private final Clock clock;
    private volatile Map<Long, Wants> wants = Map.of();
    private volatile Instant readAt = Instant.EPOCH;

    public ClientDataCipher(SecretCipher cipher, DataSource dataSource, Clock clock) {
        this.cipher = cipher;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public byte[] seal(long appId, UUID eventId, boolean adsConsent, String clientIp, String userAgent) {
        Wants w = wants().get(appId);
        if (w == null || (!adsConsent && !w.withoutAdsConsent()) || (clientIp == null && userAgent == null)) {
            return null;
        }
        String plain = (clientIp == null ? "" : clientIp) + '\u0000' + (userAgent == null ? "" : userAgent);
        return cipher.seal(plain.getBytes(StandardCharsets.UTF_8), appId, BINDING + eventId);
    }

    /** The pair sealed for this event, or null when there is none or this key cannot open it. */
    public ClientData open(long appId, UUID eventId, byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            String plain = new String(cipher.open(sealed, appId, BINDING + eventId), StandardCharsets.UTF_8);
            int cut = plain.indexOf('\u0000');
            String ip = plain.substring(0, cut);
            String ua = plain.substring(cut + 1);
            return new ClientData(ip.isEmpty() ? null : ip, ua.isEmpty() ? null : ua);
        } catch (SecretCipher.UnreadableSecrets e) {
            return null; // sealed under another key: the delivery goes without it
        }
    }

    private Map<Long, Wants> wants() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(REFRESH) >= 0 || now.isBefore(readAt)) {
            readAt = now; // one reader at a time is enough; the others use the last map meanwhile
            try {
                wants = read();
            } catch (SQLException e) {
                log.warn("Could not read which destinations send client data; keeping the last answer: {}", e.toString());
            }
        }
        return wants;
    }

    private Map<Long, Wants> read() throws SQLException {
        Map<Long, Wants> read = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT app_id, bool_or(type = 'umami') FROM destinations WHERE enabled AND send_client_data"
                        + " GROUP BY app_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                read.put(rs.getLong(1), new Wants(rs.getBoolean(2)));
            }
        }
        return Map.copyOf(read);
    }
}
