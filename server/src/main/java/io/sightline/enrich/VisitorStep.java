package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Event;

import java.util.EnumSet;
import java.util.Set;

/**
 * Derives {@code visitor_id} when the client sent none, as HMAC(today's salt, app, IP, User-Agent), and
 * {@code session_id} when the client sent none (see {@link Sessions}). Client ids always win. A derived
 * visitor is the same person only within one day's salt: a visitor returning on another day counts again,
 * which is the price of not being able to follow anyone across days.
 */
public final class VisitorStep implements Step {
    private final Sessions sessions;

    public VisitorStep(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return "visitor_session";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        Event event = draft.event();
        String visitorId = event.visitorId();
        String sessionId = event.sessionId();
        Set<DerivedField> filled = EnumSet.noneOf(DerivedField.class);
        String previousVisitorId = null;
        if (visitorId == null && request.clientIp() != null) {
            visitorId = request.ids().visitorId(request);
            filled.add(DerivedField.VISITOR_ID);
            previousVisitorId = request.ids().previousVisitorId(request);
        }
        if (sessionId == null && visitorId != null) {
            Sessions.Assignment assignment = sessions.assign(request.appId(), visitorId, previousVisitorId,
                    event.occurredAt());
            visitorId = assignment.visitorId();
            sessionId = assignment.sessionId();
            filled.add(DerivedField.SESSION_ID);
        }
        if (filled.isEmpty()) {
            return draft;
        }
        return draft.with(event.enriched(sessionId, visitorId, event.context()), filled);
    }
}
