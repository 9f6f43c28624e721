package io.sightline.enrich;

import io.sightline.event.Consent;
import io.sightline.event.DerivedField;
import org.junit.jupiter.api.Test;

import static io.sightline.enrich.Drafts.NO_DEVICE;
import static io.sightline.enrich.Drafts.NOWHERE;
import static io.sightline.enrich.Drafts.event;
import static io.sightline.enrich.Drafts.kept;
import static io.sightline.enrich.Drafts.optedOut;
import static io.sightline.enrich.Drafts.request;
import static org.assertj.core.api.Assertions.assertThat;

class ConsentStepTest {
    private final ConsentStep denyByDefault = new ConsentStep(false, true);

    private static Draft draft(Boolean analytics, Boolean ads) {
        return Draft.of(event(NOWHERE, NO_DEVICE, new Consent(analytics, ads)));
    }

    @Test
    void drops_an_event_without_analytics_consent() {
        assertThat(denyByDefault.apply(draft(false, true), request("203.0.113.7", "ua")))
                .isEqualTo(new Outcome.Drop(DropReason.NO_CONSENT));
    }

    @Test
    void keeps_the_clients_ads_answer() {
        Draft d = kept(denyByDefault.apply(draft(true, true), request("203.0.113.7", "ua")));
        assertThat(d.event().context().consent()).isEqualTo(new Consent(true, true));
        assertThat(d.derived()).isEmpty();
    }

    @Test
    void absent_ads_consent_follows_the_configured_default_and_is_marked_derived() {
        Draft denied = kept(denyByDefault.apply(draft(null, null), request("203.0.113.7", "ua")));
        Draft granted = kept(new ConsentStep(true, true).apply(draft(null, null), request("203.0.113.7", "ua")));

        assertThat(denied.event().context().consent().ads()).isFalse();
        assertThat(granted.event().context().consent().ads()).isTrue();
        assertThat(denied.derived()).containsExactly(DerivedField.CONSENT_ADS);
    }

    @Test
    void do_not_track_or_global_privacy_control_denies_ads_even_when_the_client_said_yes() {
        Draft d = kept(denyByDefault.apply(draft(true, true), optedOut()));
        assertThat(d.event().context().consent()).isEqualTo(new Consent(true, false));
        assertThat(d.derived()).containsExactly(DerivedField.CONSENT_ADS);
    }

    @Test
    void opt_out_headers_are_ignored_when_not_honoured() {
        Draft d = kept(new ConsentStep(false, false).apply(draft(null, true), optedOut()));
        assertThat(d.event().context().consent().ads()).isTrue();
    }
}
