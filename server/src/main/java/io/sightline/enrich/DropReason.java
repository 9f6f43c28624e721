package io.sightline.enrich;

import java.util.Locale;

/** Why an event that passed validation was deliberately not stored. Counted and told to the client. */
public enum DropReason {
    /** {@code context.consent.analytics} was false. */
    NO_CONSENT,
    /** The User-Agent is a crawler, scanner or a configured bot pattern, and bots are not kept. */
    BOT;

    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }
}
