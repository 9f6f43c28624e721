package io.sightline.store;

import io.sightline.event.DerivedField;
import io.sightline.event.EventContext;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Encodes event rows in PostgreSQL's COPY text format into one reusable byte buffer: columns separated by
 * tab, rows by newline, NULL as {@code \N}, and backslash, tab, newline and carriage return escaped.
 * The column order is {@link #COLUMNS}.
 */
final class CopyRowEncoder {
    static final String COLUMNS = "app_id, event_id, event_type, event_name, occurred_at, received_at, session_id,"
            + " visitor_id, user_id, ip_hash, country, region, city, latitude, longitude, location_accuracy_m, os,"
            + " os_version, device_model, device_type, browser, browser_version, app_version, app_build, locale, sdk,"
            + " consent_analytics, consent_ads, is_bot, properties, derived";
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final int INITIAL_CAPACITY = 8 * 1024;
    private static final int KEPT_CAPACITY = 64 * 1024;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int len;

    /** Empties the buffer; one grown by a large batch is let go, so that idle request threads stay small. */
    void reset() {
        len = 0;
        if (buf.length > KEPT_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void encode(EventRow row) {
        var e = row.event();
        EventContext ctx = e.context();
        ascii(Long.toString(row.appId()));
        tab();
        ascii(e.eventId().toString());
        tab();
        text(e.type().wireName());
        tab();
        text(e.name());
        tab();
        ascii(e.occurredAt().toString());
        tab();
        ascii(row.receivedAt().toString());
        tab();
        text(e.sessionId());
        tab();
        text(e.visitorId());
        tab();
        text(e.userId());
        tab();
        bytea(row.ipHash());
        tab();
        text(ctx.location().country());
        tab();
        text(ctx.location().region());
        tab();
        text(ctx.location().city());
        tab();
        number(ctx.location().latitude());
        tab();
        number(ctx.location().longitude());
        tab();
        number(ctx.location().accuracyM());
        tab();
        text(ctx.device().os());
        tab();
        text(ctx.device().osVersion());
        tab();
        text(ctx.device().model());
        tab();
        text(ctx.device().type());
        tab();
        text(ctx.device().browser());
        tab();
        text(ctx.device().browserVersion());
        tab();
        text(ctx.app().version());
        tab();
        text(ctx.app().build());
        tab();
        text(ctx.locale());
        tab();
        text(null); // sdk
        tab();
        bool(ctx.consent().analytics());
        tab();
        bool(ctx.consent().ads());
        tab();
        bool(row.bot());
        tab();
        text(e.propertiesJson());
        tab();
        derived(row.derived());
        put((byte) '\n');
    }

    /** A text[] literal such as {country,city}; column names need no quoting. */
    private void derived(Set<DerivedField> fields) {
        put((byte) '{');
        boolean first = true;
        for (DerivedField field : fields) {
            if (!first) {
                put((byte) ',');
            }
            ascii(field.column());
            first = false;
        }
        put((byte) '}');
    }

    private void tab() {
        put((byte) '\t');
    }

    private void number(Double value) {
        if (value == null) {
            raw(NULL);
        } else {
            ascii(Double.toString(value));
        }
    }

    private void bool(Boolean value) {
        if (value == null) {
            raw(NULL);
        } else {
            put(value ? (byte) 't' : (byte) 'f');
        }
    }

    private void bytea(byte[] value) {
        if (value == null) {
            raw(NULL);
            return;
        }
        // bytea hex input is \x…; the backslash itself must be escaped in COPY text.
        ensure(3 + value.length * 2);
        buf[len++] = '\\';
        buf[len++] = '\\';
        buf[len++] = 'x';
        for (byte b : value) {
            buf[len++] = HEX[(b >> 4) & 0xF];
            buf[len++] = HEX[b & 0xF];
        }
    }

    private void ascii(String value) {
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            buf[len++] = (byte) value.charAt(i);
        }
    }

    /** UTF-8 with COPY escapes; validation has already refused NUL and unpaired surrogates. */
    private void text(String value) {
        if (value == null) {
            raw(NULL);
            return;
        }
        ensure(value.length() * 3 + 2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\': buf[len++] = '\\'; buf[len++] = '\\'; break;
                    case '\t': buf[len++] = '\\'; buf[len++] = 't'; break;
                    case '\n': buf[len++] = '\\'; buf[len++] = 'n'; break;
                    case '\r': buf[len++] = '\\'; buf[len++] = 'r'; break;
                    default: buf[len++] = (byte) c;
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[len++] = '?';
            } else {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
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
