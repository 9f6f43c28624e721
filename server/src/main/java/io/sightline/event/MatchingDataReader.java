package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Reads the three context parts that the ad platforms match conversions by: {@code click_ids}, {@code campaign} and
 * {@code traits}. An empty string counts as not given (trackers copy empty URL parameters as they are). Traits leave
 * here hashed (see {@link TraitHasher}).
 */
final class MatchingDataReader {
    static final int MAX_CLICK_ID = 500;
    static final int MAX_UTM = 255;
    private static final List<String> CLICK_IDS = List.of("fbclid", "fbc", "fbp", "gclid", "gbraid", "wbraid",
            "li_fat_id", "twclid");
    private static final List<String> CAMPAIGN = List.of("utm_source", "utm_medium", "utm_campaign", "utm_content",
            "utm_term");
    private static final List<String> TRAITS = List.of("email", "phone", "external_id");

    private MatchingDataReader() {
    }

    static ClickIds clickIds(JsonNode ids) {
        if (ids == null) {
            return ClickIds.NONE;
        }
        String p = "context.click_ids.";
        Fields.rejectUnknown(ids, p, CLICK_IDS);
        return new ClickIds(clickId(ids, p, "fbclid"), metaCookie(ids, p, "fbc", "fbclid"),
                metaCookie(ids, p, "fbp", "random number"), clickId(ids, p, "gclid"), clickId(ids, p, "gbraid"),
                clickId(ids, p, "wbraid"), clickId(ids, p, "li_fat_id"), clickId(ids, p, "twclid"));
    }

    /**
     * Platforms document no alphabet for their ids beyond what a URL parameter or a cookie carries, so any visible
     * ASCII character is taken; white space and control characters are not, since no id has them and a copy with
     * a stray newline would not match.
     */
    private static String clickId(JsonNode ids, String p, String key) {
        String id = Fields.optionalString(ids, p, key, 0, MAX_CLICK_ID);
        if (id == null || id.isEmpty()) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new Rejection("invalid_character", p + key,
                        p + key + " must be visible ASCII characters, without spaces");
            }
        }
        return id;
    }

    /**
     * Meta's {@code _fbc} and {@code _fbp} cookies: "fb.{subdomain index}.{creation time in ms}.{fbclid or random
     * number}", e.g. "fb.1.1596403881668.1116446470". Meta's parameter builder may append a further ".part", so the
     * last part is anything non-empty.
     */
    private static String metaCookie(JsonNode ids, String p, String key, String last) {
        String value = clickId(ids, p, key);
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\.", 4);
        if (parts.length < 4 || !parts[0].equals("fb") || !isDigits(parts[1]) || !isDigits(parts[2])
                || parts[3].isEmpty()) {
            throw new Rejection("invalid_value", p + key, p + key
                    + " must have Meta's form fb.<subdomain index>.<creation time in ms>.<" + last + ">,"
                    + " such as \"fb.1.1596403881668.1116446470\"");
        }
        return value;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static Campaign campaign(JsonNode campaign) {
        if (campaign == null) {
            return Campaign.NONE;
        }
        String p = "context.campaign.";
        Fields.rejectUnknown(campaign, p, CAMPAIGN);
        return new Campaign(utm(campaign, p, "utm_source"), utm(campaign, p, "utm_medium"),
                utm(campaign, p, "utm_campaign"), utm(campaign, p, "utm_content"), utm(campaign, p, "utm_term"));
    }

    /** Kept as sent (UTM values are case-sensitive in every analytics tool); control characters are refused. */
    private static String utm(JsonNode campaign, String p, String key) {
        String value = Fields.optionalString(campaign, p, key, 0, MAX_UTM);
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new Rejection("invalid_character", p + key, p + key + " must not contain control characters");
            }
        }
        return value;
    }

    static Traits traits(JsonNode traits) {
        if (traits == null) {
            return Traits.NONE;
        }
        String p = "context.traits.";
        Fields.rejectUnknown(traits, p, TRAITS);
        String email = Fields.optionalString(traits, p, "email", 0, TraitHasher.MAX_EMAIL);
        String emailSha256 = email == null ? null : TraitHasher.email(email, p + "email");
        String phone = Fields.optionalString(traits, p, "phone", 0, TraitHasher.MAX_PHONE);
        TraitHasher.PhoneDigests phones = phone == null ? null : TraitHasher.phone(phone, p + "phone");
        String externalId = Fields.optionalString(traits, p, "external_id", 0, TraitHasher.MAX_EXTERNAL_ID);
        return new Traits(emailSha256, phones == null ? null : phones.withoutPlus(),
                phones == null ? null : phones.withPlus(),
                externalId == null ? null : TraitHasher.externalId(externalId));
    }
}
