package io.sightline.store;

import io.sightline.event.DerivedField;
import io.sightline.event.EventContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;

/**
 * Encodes event rows in PostgreSQL's COPY text format into one reusable byte buffer: columns separated by
 * tab, rows by newline, NULL as {@code \N}, and backslash, tab, newline and carriage return escaped.
 * The column order is {@link #COLUMNS}.
 *
 * <p>Public so that the benchmarks load their synthetic events with the very bytes the writer sends, rather than
 * a copy of this class that a schema change would have to find. Not thread-safe: one encoder per thread.
 */
public final class CopyRowEncoder {
    /** The columns of {@code analytics_events} each encoded row fills, in order: the list for {@code COPY … (…)}. */
    public static final String COLUMNS = "app_id, event_id, event_type, event_name, occurred_at, received_at, session_id,"
            + " visitor_id, user_id, ip_hash, country, region, city, latitude, longitude, location_accuracy_m, os,"
            + " os_version, device_model, device_type, browser, browser_version, app_version, app_build, locale, sdk,"
            + " consent_analytics, consent_ads, is_bot, properties, derived, click_ids, utm_source, utm_medium,"
            + " utm_campaign, utm_content, utm_term, email_sha256, phone_sha256, phone_e164_sha256, external_id_sha256";
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final long SECONDS_PER_DAY = 86_400;
    /**
     * Numbers below this in magnitude may take the short form of {@link #number}: a million times it is below
     * 2^53, so the count of millionths converts to a double exactly.
     */
    private static final double MAX_SHORT_NUMBER = 9e9;
    private static final int INITIAL_CAPACITY = 8 * 1024;
    private static final int KEPT_CAPACITY = 64 * 1024;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int len;

    /** Empties the buffer; one grown by a large batch is let go, so that idle request threads stay small. */
    public void reset() {
        len = 0;
        if (buf.length > KEPT_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
    }

    /** The bytes written since the last {@link #reset}. */
    int length() {
        return len;
    }

    /** What has been written so far, for tests. */
    String written() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** A copy of the rows encoded since the last {@link #reset}. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Appends one row (newline included). */
    public void encode(EventRow row) {
        columns(row);
        put((byte) '\n');
    }

    private void columns(EventRow row) {
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
        timestamp(e.occurredAt());
        tab();
        timestamp(row.receivedAt());
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
        tab();
        text(ctx.clickIds().json());
        tab();
        text(ctx.campaign().utmSource());
        tab();
        text(ctx.campaign().utmMedium());
        tab();
        text(ctx.campaign().utmCampaign());
        tab();
        text(ctx.campaign().utmContent());
        tab();
        text(ctx.campaign().utmTerm());
        tab();
        text(ctx.traits().emailSha256());
        tab();
        text(ctx.traits().phoneSha256());
        tab();
        text(ctx.traits().phoneE164Sha256());
        tab();
        text(ctx.traits().externalIdSha256());
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

    /**
     * A number PostgreSQL reads back as the same double. Coordinates are rounded to at most six decimals, so
     * most values are n / 10^6 for a whole n: those are written as that decimal, which costs a few integer
     * divisions where {@link Double#toString} (the fallback for any other value) costs a digit-generation
     * algorithm. The decimal is exact for the double because the double is the one nearest to it, and both
     * Java and PostgreSQL read a decimal as its nearest double.
     */
    void number(Double value) {
        if (value == null) {
            raw(NULL);
            return;
        }
        double v = value;
        if (Math.abs(v) < MAX_SHORT_NUMBER) {
            long micros = Math.round(v * 1e6);
            // -0.0 equals 0.0 here, but would lose its sign.
            if (micros / 1e6 == v && (micros != 0 || Double.doubleToRawLongBits(v) == 0)) {
                decimal(micros);
                return;
            }
        }
        ascii(Double.toString(v));
    }

    /** Writes {@code micros / 10^6} with no trailing zeros after the point, e.g. 48860000 as "48.86". */
    private void decimal(long micros) {
        ensure(24);
        if (micros < 0) {
            buf[len++] = '-';
            micros = -micros;
        }
        digits(micros / 1_000_000, 1);
        long fraction = micros % 1_000_000;
        if (fraction != 0) {
            int width = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                width--;
            }
            buf[len++] = '.';
            digits(fraction, width);
        }
    }

    /**
     * The same text as {@link Instant#toString()} (ISO 8601 in UTC, the fraction in groups of three digits),
     * written without its formatter, which was 5 % of a request thread's time under /track load. Years
     * outside 1000-9999 go through the formatter.
     */
    void timestamp(Instant at) {
        long seconds = at.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        if (date.getYear() < 1000 || date.getYear() > 9999) {
            ascii(at.toString());
            return;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        ensure(32);
        digits(date.getYear(), 4);
        buf[len++] = '-';
        digits(date.getMonthValue(), 2);
        buf[len++] = '-';
        digits(date.getDayOfMonth(), 2);
        buf[len++] = 'T';
        digits(secondOfDay / 3600, 2);
        buf[len++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        buf[len++] = ':';
        digits(secondOfDay % 60, 2);
        int nanos = at.getNano();
        if (nanos != 0) {
            buf[len++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(nanos / 1000, 6);
            } else {
                digits(nanos, 9);
            }
        }
        buf[len++] = 'Z';
    }

    /** A non-negative number in at least {@code width} digits, zero-padded; the caller has ensured room. */
    private void digits(long value, int width) {
        int count = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            count++;
        }
        count = Math.max(count, width);
        for (int i = len + count - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += count;
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
