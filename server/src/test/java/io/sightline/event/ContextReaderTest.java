package io.sightline.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.minimal;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.repeat;
import static io.sightline.event.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

class ContextReaderTest {

    private static ObjectNode withContext(String path, Object value) {
        return with(minimal(EventType.SCREENSHOT), "context." + path, value);
    }

    @Test
    void reads_a_full_context() {
        EventContext context = accepted(json("{'type':'screenshot','context':{"
                + "'device':{'os':'iOS','os_version':'18.1','model':'iPhone16,2','type':'phone'},"
                + "'app':{'version':'2.3.0','build':'2301'},"
                + "'location':{'latitude':52.52,'longitude':13.405,'city':'Berlin','region':'Berlin','country':'DE','accuracy_m':35},"
                + "'locale':'de-DE','consent':{'analytics':true,'ads':false}}}")).context();

        assertThat(context).isEqualTo(new EventContext(new Device("iOS", "18.1", "iPhone16,2", "phone", null, null),
                new AppInfo("2.3.0", "2301"), new Location(52.52, 13.405, "Berlin", "Berlin", "DE", 35.0), "de-DE",
                new Consent(true, false)));
    }

    @Test
    void fills_an_absent_context_with_records_of_nulls() {
        assertThat(accepted(minimal(EventType.SCREENSHOT)).context()).isEqualTo(new EventContext(
                new Device(null, null, null, null, null, null), new AppInfo(null, null), new Location(null, null, null, null, null, null),
                null, new Consent(null, null)));
    }

    @Test
    void fills_absent_parts_of_a_given_context_with_records_of_nulls() {
        EventContext context = accepted(withContext("locale", "en-US")).context();

        assertThat(context.device()).isEqualTo(new Device(null, null, null, null, null, null));
        assertThat(context.consent()).isEqualTo(new Consent(null, null));
        assertThat(context.locale()).isEqualTo("en-US");
    }

    @ParameterizedTest
    @CsvSource({"colour,context.colour", "device.brand,context.device.brand", "app.name,context.app.name",
            "location.altitude,context.location.altitude", "consent.marketing,context.consent.marketing"})
    void rejects_an_unknown_field_in_the_context_naming_its_path(String path, String field) {
        Violation v = rejected(withContext(path, "x"));

        assertThat(v.code()).isEqualTo("unknown_field");
        assertThat(v.field()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"context", "context.device", "context.app", "context.location", "context.consent"})
    void rejects_a_context_part_that_is_not_an_object(String field) {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), field, List.of()));

        assertThat(v.code()).isEqualTo("invalid_type");
        assertThat(v.field()).isEqualTo(field);
    }

    @ParameterizedTest
    @CsvSource({"device.os,64", "device.os_version,64", "device.model,128", "device.type,32",
            "app.version,64", "app.build,64", "location.city,128"})
    void accepts_a_context_string_at_its_limit_and_rejects_one_character_more(String path, int limit) {
        accepted(withContext(path, repeat('s', limit)));

        assertThat(rejected(withContext(path, repeat('s', limit + 1)))).isEqualTo(new Violation("too_long",
                "context." + path, "context." + path + " must be at most " + limit + " characters"));
    }

    @Test
    void rejects_a_context_string_that_is_not_a_string() {
        assertThat(rejected(withContext("device.os", 17)).code()).isEqualTo("invalid_type");
    }

    @Test
    void rejects_a_nul_character_in_a_context_string() {
        Violation v = rejected(withContext("app.build", "12\u00003"));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("context.app.build");
    }

    @ParameterizedTest
    @CsvSource({"90,180", "-90,-180", "0,0"})
    void accepts_coordinates_at_their_bounds(double latitude, double longitude) {
        ObjectNode event = withContext("location.latitude", latitude);
        with(event, "context.location.longitude", longitude);

        assertThat(accepted(event).context().location().latitude()).isEqualTo(latitude);
    }

    @ParameterizedTest
    @CsvSource({"90.000001,0,latitude", "-90.000001,0,latitude", "0,180.000001,longitude", "0,-180.000001,longitude"})
    void rejects_coordinates_beyond_their_bounds(double latitude, double longitude, String field) {
        ObjectNode event = withContext("location.latitude", latitude);
        with(event, "context.location.longitude", longitude);

        Violation v = rejected(event);
        assertThat(v.code()).isEqualTo("out_of_range");
        assertThat(v.field()).isEqualTo("context.location." + field);
    }

    @Test
    void rejects_a_latitude_without_longitude() {
        assertThat(rejected(withContext("location.latitude", 52.5))).isEqualTo(new Violation("missing_field",
                "context.location.longitude", "context.location.longitude is required when latitude is given"));
    }

    @Test
    void rejects_a_longitude_without_latitude() {
        assertThat(rejected(withContext("location.longitude", 13.4)).field()).isEqualTo("context.location.latitude");
    }

    @Test
    void rejects_a_coordinate_given_as_a_string() {
        ObjectNode event = withContext("location.latitude", "52.5");
        with(event, "context.location.longitude", 13.4);

        assertThat(rejected(event).code()).isEqualTo("invalid_type");
    }

    @Test
    void accepts_a_country_code_in_upper_case() {
        assertThat(accepted(withContext("location.country", "NZ")).context().location().country()).isEqualTo("NZ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"de", "DEU", "XX", "D", ""})
    void rejects_a_country_that_is_not_an_iso_3166_code(String country) {
        assertThat(rejected(withContext("location.country", country))).isEqualTo(new Violation("invalid_value",
                "context.location.country", "context.location.country must be an ISO 3166-1 alpha-2 code such as \"DE\""));
    }

    @Test
    void accepts_an_accuracy_from_zero_to_a_thousand_kilometres() {
        accepted(withContext("location.accuracy_m", 0));
        accepted(withContext("location.accuracy_m", 1_000_000));
    }

    @Test
    void rejects_an_accuracy_outside_zero_to_a_thousand_kilometres() {
        assertThat(rejected(withContext("location.accuracy_m", -0.5)).code()).isEqualTo("out_of_range");
        assertThat(rejected(withContext("location.accuracy_m", 1_000_000.5)).code()).isEqualTo("out_of_range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "en-US", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-DE-1996", "en-US-x-twain"})
    void accepts_a_locale_of_bcp_47_shape(String locale) {
        assertThat(accepted(withContext("locale", locale)).context().locale()).isEqualTo(locale);
    }

    @ParameterizedTest
    @CsvSource({"de_DE,de-DE", "EN_us,en-US", "zh_hant_tw,zh-Hant-TW", "es_419,es-419", "SR-LATN-rs,sr-Latn-RS",
            "en_US_POSIX,en-US-posix", "en-US-X-Twain,en-US-x-twain", "x-AB,x-ab"})
    void stores_an_underscored_or_miscased_locale_in_bcp_47_form(String sent, String stored) {
        assertThat(accepted(withContext("locale", sent)).context().locale()).isEqualTo(stored);
    }

    @Test
    void accepts_a_locale_of_35_characters_and_rejects_36() {
        accepted(withContext("locale", "en-" + repeat('x', 32)));

        assertThat(rejected(withContext("locale", "en-" + repeat('x', 33))).code()).isEqualTo("too_long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en US", "en.US", "-en", "1en", "fr-ç"})
    void rejects_a_locale_not_of_bcp_47_shape(String locale) {
        Violation v = rejected(withContext("locale", locale));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("context.locale");
    }

    @Test
    void rejects_an_empty_locale() {
        assertThat(rejected(withContext("locale", "")).code()).isEqualTo("invalid_value");
    }

    @Test
    void reads_each_consent_on_its_own() {
        assertThat(accepted(withContext("consent.ads", true)).context().consent()).isEqualTo(new Consent(null, true));
    }

    @Test
    void rejects_a_consent_that_is_not_a_boolean() {
        Violation v = rejected(withContext("consent.analytics", "yes"));

        assertThat(v.code()).isEqualTo("invalid_type");
        assertThat(v.field()).isEqualTo("context.consent.analytics");
    }

    @Test
    void checks_context_parts_in_order() {
        ObjectNode event = json("{'type':'screenshot','context':{'consent':{'ads':1},'device':{'os':2}}}");

        assertThat(rejected(event).field()).isEqualTo("context.device.os");
    }
}
