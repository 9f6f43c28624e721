package io.sightline.event;

import java.util.Optional;

/** The closed set of event types a client may send; {@link #wireName()} is the form used in JSON and in storage. */
public enum EventType {
    QR_SCAN("qr_scan"),
    PLACEMENT("placement"),
    INTERACTION("interaction"),
    SCREENSHOT("screenshot"),
    CONVERSION("conversion"),
    /** A screen of an app or a page of a web site (WebXR, {@code <model-viewer>}) was shown. */
    SCREEN_VIEW("screen_view"),
    CUSTOM("custom");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Exact, case-sensitive match of a wire name; empty for anything else, including null. */
    public static Optional<EventType> fromWire(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s) {
            case "qr_scan" -> Optional.of(QR_SCAN);
            case "placement" -> Optional.of(PLACEMENT);
            case "interaction" -> Optional.of(INTERACTION);
            case "screenshot" -> Optional.of(SCREENSHOT);
            case "conversion" -> Optional.of(CONVERSION);
            case "screen_view" -> Optional.of(SCREEN_VIEW);
            case "custom" -> Optional.of(CUSTOM);
            default -> Optional.empty();
        };
    }
}
