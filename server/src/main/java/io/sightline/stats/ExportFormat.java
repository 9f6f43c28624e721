package io.sightline.stats;

import static io.sightline.stats.QueryError.Reason.INVALID_VALUE;

/** How {@code events/export} writes events: its {@code format} parameter, content type and file extension. */
public enum ExportFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    NDJSON("ndjson", "application/x-ndjson");

    private final String wireName;
    private final String contentType;

    ExportFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    public String wireName() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The {@code format} parameter: {@code csv} or {@code ndjson} (the default); anything else is a
     * {@link QueryError} naming it.
     */
    public static ExportFormat parse(String text) {
        if (text == null) {
            return NDJSON;
        }
        for (ExportFormat format : values()) {
            if (format.wireName.equals(text)) {
                return format;
            }
        }
        throw new QueryError(INVALID_VALUE, "format must be csv or ndjson", "format");
    }
}
