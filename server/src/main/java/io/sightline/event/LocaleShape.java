package io.sightline.event;

/**
 * What a {@code locale} must look like before it is normalised: a letter first, then ASCII letters, digits, '-' or
 * '_'. Shape only, not registry membership. Native validation refuses other text; protocol adapters (Segment's
 * context) leave it out.
 */
public final class LocaleShape {
    private LocaleShape() {
    }

    public static boolean matches(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean other = (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!letter && (i == 0 || !other)) {
                return false;
            }
        }
        return true;
    }
}
