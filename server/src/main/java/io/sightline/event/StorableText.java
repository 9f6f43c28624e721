package io.sightline.event;

/** Whether a string can be stored in PostgreSQL text: no U+0000 and no unpaired UTF-16 surrogate. */
public final class StorableText {
    private StorableText() {
    }

    public static boolean isStorable(String s) {
        return Fields.storableLength(s) >= 0;
    }
}
