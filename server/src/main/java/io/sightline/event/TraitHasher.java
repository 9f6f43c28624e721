package io.sightline.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Normalises a trait the way the ad platforms document it and returns its SHA-256 as 64 lower-case hex digits.
 * It runs inside validation, so that the {@link Event} that travels through enrichment, the sink and any log line
 * never holds a raw email, phone or external id. Messages name the field and never echo the value.
 *
 * <ul>
 *   <li>Email: leading and trailing white space removed, lower-cased (Meta's {@code em}: "Trim any leading and
 *       trailing spaces. Convert all characters to lowercase"; Google Ads' enhanced conversions: remove leading and
 *       trailing whitespace, convert to lowercase). Google's extra rule for gmail.com (dots before the domain
 *       removed) is not applied: one stored digest serves every platform, and Meta hashes the address as typed.</li>
 *   <li>Phone: E.164, the country code and the national number as digits. Meta's {@code ph} wants the digits
 *       without '+' ("Remove symbols, letters ... Phone numbers must include a country code"); Google Ads and X
 *       want E.164 with the '+': both digests are kept. The number must start with '+' or the international prefix
 *       "00": a national number cannot be given its country. Spaces, '-', '.', '/', parentheses and the "(0)" of
 *       the trunk prefix written after the country code ("+49 (0)30 …") are dropped; anything else is refused.
 *       A leading 0 of the national number is kept: Italy's numbers keep it in E.164, so it cannot be told apart
 *       from a trunk prefix without a numbering plan.</li>
 *   <li>External id: trimmed, case kept (Meta's {@code external_id} is hashed as given, any case).</li>
 *   <li>A value that already is 64 hex digits is taken as the client's own SHA-256 digest: lower-cased, not hashed
 *       again. A pre-hashed phone fills both phone digests as it came, since its '+' cannot be known.</li>
 * </ul>
 */
final class TraitHasher {
    static final int MAX_EMAIL = 320;
    static final int MAX_PHONE = 100;
    static final int MAX_EXTERNAL_ID = 256;
    /** E.164 numbers are at most 15 digits; the shortest in use (a few island nations) have 7. */
    private static final int MIN_PHONE_DIGITS = 7;
    private static final int MAX_PHONE_DIGITS = 15;
    private static final HexFormat HEX = HexFormat.of();

    private TraitHasher() {
    }

    /** The two phone digests: of the E.164 digits without '+', and with it. */
    record PhoneDigests(String withoutPlus, String withPlus) {}

    /** Null when the trimmed value is empty. */
    static String email(String raw, String field) {
        String email = trim(raw);
        if (email.isEmpty()) {
            return null;
        }
        if (isDigest(email)) {
            return email.toLowerCase(Locale.ROOT);
        }
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || hasSpaceOrControl(email)) {
            throw new Rejection("invalid_value", field, field
                    + " must be an email address such as \"name@example.com\", or its SHA-256 as 64 hex digits");
        }
        return sha256(email.toLowerCase(Locale.ROOT));
    }

    /** Null when the trimmed value is empty. */
    static PhoneDigests phone(String raw, String field) {
        String phone = trim(raw);
        if (phone.isEmpty()) {
            return null;
        }
        if (isDigest(phone)) {
            String digest = phone.toLowerCase(Locale.ROOT);
            return new PhoneDigests(digest, digest);
        }
        String digits = e164Digits(phone.replace("(0)", ""), field);
        return new PhoneDigests(sha256(digits), sha256("+" + digits));
    }

    /** Null when the trimmed value is empty. */
    static String externalId(String raw) {
        String id = trim(raw);
        if (id.isEmpty()) {
            return null;
        }
        return isDigest(id) ? id.toLowerCase(Locale.ROOT) : sha256(id);
    }

    /** The country code and national number as digits, without '+' or "00". */
    private static String e164Digits(String phone, String field) {
        StringBuilder digits = new StringBuilder(16);
        boolean plus = false;
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && i == 0) {
                plus = true;
            } else if (!isSeparator(c)) {
                throw new Rejection("invalid_value", field, field
                        + " must be a phone number of digits, spaces, '-', '.', '/' and parentheses after its '+'");
            }
        }
        if (!plus) {
            if (digits.length() < 2 || digits.charAt(0) != '0' || digits.charAt(1) != '0') {
                throw new Rejection("invalid_value", field, field + " must start with '+' or 00 and the country"
                        + " code, such as \"+49 30 1234567\": a number without one cannot be matched to its country");
            }
            digits.delete(0, 2);
        }
        if (digits.length() == 0 || digits.charAt(0) == '0') {
            throw new Rejection("invalid_value", field, field + " must have a country code after its '+' or 00;"
                    + " no country code starts with 0");
        }
        if (digits.length() < MIN_PHONE_DIGITS || digits.length() > MAX_PHONE_DIGITS) {
            throw new Rejection("invalid_value", field, field + " must have " + MIN_PHONE_DIGITS + " to "
                    + MAX_PHONE_DIGITS + " digits with its country code, as E.164 numbers do");
        }
        return digits.toString();
    }

    /** Like {@link String#strip}, but also drops the no-break spaces that copying from a web page brings along. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || Character.isSpaceChar(c);
    }

    private static boolean hasSpaceOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isBlank(c) || Character.isISOControl(c)) {
                return true;
            }
        }
        return false;
    }

    static boolean isDigest(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    static String sha256(String text) {
        try {
            // A new instance per value: getInstance is cheap next to a request, and MessageDigest is not thread-safe.
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
