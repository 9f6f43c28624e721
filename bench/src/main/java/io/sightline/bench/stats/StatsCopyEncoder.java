package io.sightline.bench.stats;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * Writes {@link SyntheticEvent}s in PostgreSQL's COPY text format for the columns in {@link #COLUMNS} (every column of
 * {@code analytics_events} but {@code sdk}, which the server leaves NULL too). The server's own encoder is
 * package-private; this one is smaller because everything generated is ASCII.
 */
final class StatsCopyEncoder {
    static final String COLUMNS = "app_id, event_id, event_type, event_name, occurred_at, received_at, session_id,"
            + " visitor_id, user_id, ip_hash, country, region, city, latitude, longitude, location_accuracy_m, os,"
            + " os_version, device_model, device_type, browser, browser_version, app_version, app_build, locale,"
            + " consent_analytics, consent_ads, is_bot, properties, derived";
    private static final long DAY = 86_400_000L;
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;
    private int rows;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    StatsCopyEncoder(int capacity) {
        buf = new byte[capacity];
    }

    int rows() {
        return rows;
    }

    int size() {
        return len;
    }

    /** The encoded rows so far, and a fresh start. */
    byte[] take() {
        byte[] out = Arrays.copyOf(buf, len);
        len = 0;
        rows = 0;
        return out;
    }

    void encode(SyntheticEvent e) {
        Visitor v = e.visitor();
        Devices.Device d = v.device();
        ascii(Long.toString(e.appId()));
        tab();
        uuid(e.idHigh(), e.idLow());
        tab();
        text(e.type());
        tab();
        text(e.name());
        tab();
        timestamp(e.occurredAtMs());
        tab();
        timestamp(e.receivedAtMs());
        tab();
        text(e.sessionId());
        tab();
        text(e.visitorId());
        tab();
        text(v.userId());
        tab();
        ascii("\\\\x");
        ascii(e.ipHash());
        tab();
        text(v.country().code());
        tab();
        text(v.city().region());
        tab();
        text(v.city().name());
        tab();
        if (v.reportsCoordinates()) {
            ascii(Double.toString(v.city().latitude()));
            tab();
            ascii(Double.toString(v.city().longitude()));
            tab();
            ascii(Double.toString(v.accuracyM()));
        } else {
            raw(NULL);
            tab();
            raw(NULL);
            tab();
            raw(NULL);
        }
        tab();
        text(d.os());
        tab();
        text(d.osVersion());
        tab();
        text(d.model());
        tab();
        text(d.deviceType());
        tab();
        text(d.browser());
        tab();
        text(d.browserVersion());
        tab();
        text(e.appVersion());
        tab();
        text(e.appBuild());
        tab();
        text(v.country().locale());
        tab();
        ascii("t\t");
        ascii(v.consentAds() ? "t" : "f");
        ascii("\tf\t");
        text(e.properties());
        tab();
        ascii(e.derived());
        put((byte) '\n');
        rows++;
    }

    /** {@code 2026-11-24 16:28:05.123+00}; the date part is formatted once per day. */
    private void timestamp(long ms) {
        long day = Math.floorDiv(ms, DAY);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = LocalDate.ofEpochDay(day).toString();
        }
        ascii(cachedDate);
        int inDay = (int) (ms - day * DAY);
        ensure(16);
        buf[len++] = ' ';
        two(inDay / 3_600_000);
        buf[len++] = ':';
        two(inDay / 60_000 % 60);
        buf[len++] = ':';
        two(inDay / 1_000 % 60);
        buf[len++] = '.';
        int millis = inDay % 1_000;
        buf[len++] = (byte) ('0' + millis / 100);
        buf[len++] = (byte) ('0' + millis / 10 % 10);
        buf[len++] = (byte) ('0' + millis % 10);
        buf[len++] = '+';
        buf[len++] = '0';
        buf[len++] = '0';
    }

    private void two(int v) {
        buf[len++] = (byte) ('0' + v / 10);
        buf[len++] = (byte) ('0' + v % 10);
    }

    private void uuid(long hi, long lo) {
        ensure(36);
        hex(hi >>> 32, 8);
        buf[len++] = '-';
        hex(hi >>> 16, 4);
        buf[len++] = '-';
        hex(hi, 4);
        buf[len++] = '-';
        hex(lo >>> 48, 4);
        buf[len++] = '-';
        hex(lo, 12);
    }

    private void hex(long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            buf[len + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        len += digits;
    }

    private void tab() {
        put((byte) '\t');
    }

    /** ASCII text with COPY's escapes; the generator makes nothing else, and anything else is a bug here. */
    private void text(String value) {
        if (value == null) {
            raw(NULL);
            return;
        }
        ensure(value.length() * 2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                throw new IllegalArgumentException("not ASCII: " + value);
            }
            switch (c) {
                case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                default -> buf[len++] = (byte) c;
            }
        }
    }

    private void ascii(String value) {
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            buf[len++] = (byte) value.charAt(i);
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
