package io.sightline.enrich;

import io.sightline.event.Consent;
import io.sightline.event.DerivedField;
import io.sightline.event.Event;

import java.util.Set;

/**
 * Drops events whose analytics consent is false. Settles ads consent for the forwarding to ad platforms:
 * the client's answer, unless the browser sent {@code DNT: 1} or {@code Sec-GPC: 1} (an opt-out that wins
 * when honoured), else the configured default.
 */
public final class ConsentStep implements Step {
    private final boolean adsByDefault;
    private final boolean honourOptOut;

    public ConsentStep(boolean adsByDefault, boolean honourOptOut) {
        this.adsByDefault = adsByDefault;
        this.honourOptOut = honourOptOut;
    }

    @Override
    public String name() {
        return "consent";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        Event event = draft.event();
        Consent consent = event.context().consent();
        if (Boolean.FALSE.equals(consent.analytics())) {
            return Outcome.Drop.NO_CONSENT;
        }
        Boolean ads;
        if (honourOptOut && request.optedOut() && !Boolean.FALSE.equals(consent.ads())) {
            ads = Boolean.FALSE;
        } else if (consent.ads() == null) {
            ads = adsByDefault;
        } else {
            return draft;
        }
        Event settled = event.enriched(event.sessionId(), event.visitorId(),
                event.context().withConsent(new Consent(consent.analytics(), ads)));
        return draft.with(settled, Set.of(DerivedField.CONSENT_ADS));
    }
}
