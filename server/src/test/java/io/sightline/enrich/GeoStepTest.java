package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Location;
import io.sightline.testing.TestGeoDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.sightline.enrich.Drafts.NO_ANSWER;
import static io.sightline.enrich.Drafts.NO_DEVICE;
import static io.sightline.enrich.Drafts.NOWHERE;
import static io.sightline.enrich.Drafts.event;
import static io.sightline.enrich.Drafts.kept;
import static io.sightline.enrich.Drafts.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The GeoIP step over a real .mmdb (see {@link TestGeoDatabase} for its networks). */
class GeoStepTest {
    private static final String SYDNEY = TestGeoDatabase.SYDNEY.sampleIp();
    private static final String TOKYO = TestGeoDatabase.TOKYO.sampleIp();

    private static MaxMindGeoLocator geo;

    @BeforeAll
    static void open() {
        geo = new MaxMindGeoLocator(TestGeoDatabase.city());
    }

    @AfterAll
    static void close() {
        geo.close();
    }

    private static Draft locate(Location sent, String ip, int decimals) {
        return kept(new GeoStep(decimals).apply(Draft.of(event(sent, NO_DEVICE, NO_ANSWER)),
                request(ip, "ua").withGeo(geo)));
    }

    private static Draft locate(Location sent, String ip) {
        return locate(sent, ip, 2);
    }

    @Test
    void fills_country_region_city_and_coordinates_when_the_client_sent_no_location() {
        Draft d = locate(NOWHERE, SYDNEY);

        assertThat(d.event().context().location())
                .isEqualTo(new Location(-33.87, 151.21, "Sydney", "New South Wales", "AU", 20_000.0));
        assertThat(d.derived()).containsExactlyInAnyOrder(DerivedField.COUNTRY, DerivedField.REGION,
                DerivedField.CITY, DerivedField.LATITUDE, DerivedField.LONGITUDE);
    }

    @Test
    void finds_ipv6_clients() {
        assertThat(locate(NOWHERE, TOKYO).event().context().location().city()).isEqualTo("Tokyo");
    }

    @Test
    void client_city_wins_over_geoip() {
        Location paris = new Location(null, null, "Paris", null, "FR", null);
        Draft d = locate(paris, SYDNEY);

        assertThat(d.event().context().location()).isEqualTo(paris);
        assertThat(d.derived()).isEmpty();
    }

    @Test
    void fills_the_gaps_of_a_client_location_that_agrees_with_geoip() {
        Draft d = locate(new Location(null, null, "sydney", null, null, null), SYDNEY);

        assertThat(d.event().context().location())
                .isEqualTo(new Location(-33.87, 151.21, "sydney", "New South Wales", "AU", 20_000.0));
        assertThat(d.derived()).doesNotContain(DerivedField.CITY);
    }

    @Test
    void gps_coordinates_far_from_the_lookup_keep_geoip_out_so_a_vpn_adds_no_city() {
        Location parisGps = new Location(48.8566, 2.3522, null, null, null, 5.0);
        Draft d = locate(parisGps, SYDNEY);

        assertThat(d.event().context().location()).isEqualTo(new Location(48.86, 2.35, null, null, null, 5.0));
        assertThat(d.derived()).isEmpty();
    }

    @Test
    void gps_coordinates_inside_the_lookups_radius_gain_city_and_country_but_keep_their_position() {
        Location nearSydney = new Location(-33.80, 151.25, null, null, null, 10.0);
        Draft d = locate(nearSydney, SYDNEY);

        assertThat(d.event().context().location())
                .isEqualTo(new Location(-33.8, 151.25, "Sydney", "New South Wales", "AU", 10.0));
        assertThat(d.derived()).containsExactlyInAnyOrder(DerivedField.COUNTRY, DerivedField.REGION, DerivedField.CITY);
    }

    @Test
    void rounds_client_coordinates_to_the_configured_decimals() {
        Location precise = new Location(52.520008, 13.404954, "Berlin", "Berlin", "DE", 3.0);
        assertThat(locate(precise, null, 2).event().context().location().latitude()).isEqualTo(52.52);
        assertThat(locate(precise, null, 3).event().context().location().longitude()).isEqualTo(13.405);
    }

    @Test
    void zero_decimals_stores_no_coordinates_at_all() {
        Draft d = locate(NOWHERE, SYDNEY, 0);

        assertThat(d.event().context().location()).isEqualTo(new Location(null, null, "Sydney", "New South Wales",
                "AU", null));
        assertThat(d.derived()).doesNotContain(DerivedField.LATITUDE, DerivedField.LONGITUDE);
    }

    @Test
    void an_address_in_no_network_or_a_country_only_network_derives_what_there_is() {
        assertThat(locate(NOWHERE, TestGeoDatabase.UNKNOWN_IPV4).derived()).isEmpty();
        Draft dutch = locate(NOWHERE, TestGeoDatabase.NETHERLANDS_COUNTRY_ONLY.sampleIp());
        assertThat(dutch.event().context().location()).isEqualTo(new Location(null, null, null, null, "NL", null));
        assertThat(dutch.derived()).containsExactly(DerivedField.COUNTRY);
    }

    @Test
    void without_a_database_nothing_is_derived() {
        Draft d = kept(new GeoStep(2).apply(Draft.of(event()), request(SYDNEY, "ua").withGeo(GeoLocator.none())));
        assertThat(d.event().context().location()).isEqualTo(NOWHERE);
    }

    @Test
    void the_events_of_one_request_share_one_lookup() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        GeoLocator counting = ip -> {
            lookups.incrementAndGet();
            return geo.locate(ip);
        };
        RequestFacts batch = request(SYDNEY, "ua").withGeo(counting);
        GeoStep step = new GeoStep(2);
        for (int i = 0; i < 100; i++) {
            assertThat(kept(step.apply(Draft.of(event()), batch)).event().context().location().city()).isEqualTo("Sydney");
        }
        assertThat(lookups).hasValue(1);
    }
}
