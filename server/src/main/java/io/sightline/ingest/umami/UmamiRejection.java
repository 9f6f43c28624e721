package io.sightline.ingest.umami;

import io.sightline.error.DomainException;

/**
 * An Umami message Sightline refuses, with a field named as the Umami client wrote it ({@code payload.website},
 * {@code payload.data.color}), never as the native event it would have become. Every reason is the client's
 * mistake (400), as Umami itself answers them.
 */
public final class UmamiRejection extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason implements io.sightline.error.Reason {
        /** The body, or a part of the message, has the wrong JSON type. */
        INVALID_TYPE,
        /** The message lacks a field Umami requires. */
        MISSING_FIELD,
        /** A field has a value Umami would refuse too. */
        INVALID_VALUE,
        /** No app has this website id (set one with PATCH /api/v1/apps/{id}). */
        UNKNOWN_WEBSITE,
        /** A batch with more messages than the configured maximum. */
        TOO_MANY_ITEMS,
        /** The event the message became broke a rule of the native event; the code is the violation's own. */
        INVALID_EVENT
    }

    private final String code;

    private UmamiRejection(Reason reason, String code, String message, String field) {
        super(reason, message, field, null, null);
        this.code = code;
    }

    public static UmamiRejection of(Reason reason, String message, String field) {
        return new UmamiRejection(reason, reason.code(), message, field);
    }

    /** A violation of the native rules, reported with the violation's code and the Umami field it came from. */
    public static UmamiRejection invalidEvent(String code, String message, String field) {
        return new UmamiRejection(Reason.INVALID_EVENT, code, message, field);
    }

    @Override
    public String code() {
        return code;
    }
}
