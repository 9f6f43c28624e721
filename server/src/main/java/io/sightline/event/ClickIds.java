package io.sightline.event;

/**
 * The ad platforms' click and browser ids the client captured (from the landing URL or the platforms' cookies), kept
 * as sent: they are case-sensitive and the platforms want them back unchanged. Every component may be null.
 */
public record ClickIds(String fbclid, String fbc, String fbp, String gclid, String gbraid, String wbraid,
                       String liFatId, String twclid) {
    public static final ClickIds NONE = new ClickIds(null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * The JSON object of the ids that are set, under their wire names, or null when none is: what the
     * {@code click_ids} column holds. Validation admits only visible ASCII, so quote and backslash are the only
     * characters that need escaping.
     */
    public String json() {
        if (isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(64).append('{');
        member(out, "fbclid", fbclid);
        member(out, "fbc", fbc);
        member(out, "fbp", fbp);
        member(out, "gclid", gclid);
        member(out, "gbraid", gbraid);
        member(out, "wbraid", wbraid);
        member(out, "li_fat_id", liFatId);
        member(out, "twclid", twclid);
        return out.append('}').toString();
    }

    private static void member(StringBuilder out, String key, String value) {
        if (value == null) {
            return;
        }
        if (out.length() > 1) {
            out.append(',');
        }
        out.append('"').append(key).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
