package io.sightline.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.sightline.event.Events.accepted;
import static io.sightline.event.Events.json;
import static io.sightline.event.Events.rejected;
import static io.sightline.event.Events.repeat;
import static org.assertj.core.api.Assertions.assertThat;

class ScreenViewRulesTest {

    private static String view(String properties) {
        return "{'type':'screen_view','properties':" + properties + "}";
    }

    @Test
    void accepts_a_view_with_every_field_and_keeps_them_as_sent() {
        Event event = accepted(json(view("{'name':'Chair','url':'https://shop.example/ar/chair?c=oak#top',"
                + "'path':'/ar/chair','referrer':'https://www.google.com/','title':'Oak chair','tab':2}")));

        assertThat(event.type()).isEqualTo(EventType.SCREEN_VIEW);
        assertThat(event.propertiesJson()).isEqualTo("{\"name\":\"Chair\",\"url\":\"https://shop.example/ar/chair?c=oak#top\","
                + "\"path\":\"/ar/chair\",\"referrer\":\"https://www.google.com/\",\"title\":\"Oak chair\",\"tab\":2}");
    }

    @Test
    void accepts_an_app_screen_with_only_a_name() {
        assertThat(accepted(json(view("{'name':'Catalogue'}"))).propertiesJson()).isEqualTo("{\"name\":\"Catalogue\"}");
    }

    @Test
    void takes_the_path_from_the_url_when_none_is_sent() {
        assertThat(accepted(json(view("{'url':'https://shop.example/ar/chair?c=oak#top'}"))).propertiesJson())
                .isEqualTo("{\"url\":\"https://shop.example/ar/chair?c=oak#top\",\"path\":\"/ar/chair\"}");
        assertThat(accepted(json(view("{'url':'HTTP://user@shop.example:8080?q=1','path':null}"))).propertiesJson())
                .isEqualTo("{\"url\":\"HTTP://user@shop.example:8080?q=1\",\"path\":\"/\"}");
    }

    @Test
    void keeps_the_path_sent_even_when_the_url_has_another() {
        assertThat(accepted(json(view("{'url':'https://shop.example/a','path':'/b'}"))).propertiesJson())
                .isEqualTo("{\"url\":\"https://shop.example/a\",\"path\":\"/b\"}");
    }

    @Test
    void accepts_characters_browsers_leave_unescaped_in_a_url() {
        accepted(json(view("{'url':'https://shop.example/ar/chair?x=a|b^c{d}'}")));
    }

    @Test
    void rejects_a_view_without_name_url_or_path_naming_properties() {
        Violation v = rejected(json(view("{'title':'Oak chair','referrer':'https://example.org/'}")));

        assertThat(v.code()).isEqualTo("missing_field");
        assertThat(v.field()).isEqualTo("properties");
        assertThat(v.message()).contains("properties.name", "properties.url", "properties.path");
        assertThat(rejected(json("{'type':'screen_view'}")).field()).isEqualTo("properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop.example/ar", "/ar/chair", "ftp://shop.example/x", "https://", "https:///path",
            "https://shop.example/a b", "javascript://alert(1)", "https://user@:80/"})
    void rejects_a_url_that_is_not_an_absolute_web_address(String url) {
        Violation v = rejected(Events.with(json(view("{}")), "properties.url", url));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties.url");
    }

    @Test
    void rejects_a_path_that_does_not_start_with_a_slash() {
        assertThat(rejected(json(view("{'path':'ar/chair'}"))))
                .isEqualTo(new Violation("invalid_value", "properties.path", "properties.path must start with \"/\""));
    }

    @ParameterizedTest
    @CsvSource({"name,200", "title,500"})
    void bounds_name_and_title(String key, int max) {
        String base = key.equals("name") ? "{'path':'/'}" : "{'name':'n'}";
        accepted(Events.with(json(view(base)), "properties." + key, repeat('n', max)));

        Violation v = rejected(Events.with(json(view(base)), "properties." + key, repeat('n', max + 1)));
        assertThat(v).isEqualTo(new Violation("too_long", "properties." + key,
                "properties." + key + " must be at most " + max + " characters"));
    }

    @Test
    void accepts_a_url_and_a_referrer_of_2000_characters_beyond_the_usual_string_limit() {
        String url = "https://shop.example/a?q=" + repeat('q', 2000 - 25);
        assertThat(url).hasSize(2000);
        accepted(json(view("{'url':'" + url + "','referrer':'" + url + "'}")));

        assertThat(rejected(json(view("{'url':'" + url + "q'}"))).field()).isEqualTo("properties.url");
        assertThat(rejected(json(view("{'name':'n','referrer':'" + url + "q'}"))).code()).isEqualTo("too_long");
    }

    @Test
    void holds_a_view_s_other_strings_to_the_usual_limit() {
        assertThat(rejected(json(view("{'name':'n','note':'" + repeat('x', 1001) + "'}"))).field())
                .isEqualTo("properties.note");
    }

    @Test
    void bounds_the_path_sent_or_taken_from_the_url() {
        accepted(json(view("{'path':'/" + repeat('p', 999) + "'}")));
        assertThat(rejected(json(view("{'path':'/" + repeat('p', 1000) + "'}"))).code()).isEqualTo("too_long");

        Violation v = rejected(json(view("{'url':'https://shop.example/" + repeat('p', 1000) + "'}")));
        assertThat(v.code()).isEqualTo("too_long");
        assertThat(v.field()).isEqualTo("properties.url");
    }

    @Test
    void takes_an_empty_referrer_as_none_and_accepts_an_app_referrer() {
        accepted(json(view("{'name':'n','referrer':''}")));
        accepted(json(view("{'name':'n','referrer':'android-app://com.google.android.gm/'}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"google", "www.google.com", "https://", " https://google.com/"})
    void rejects_a_referrer_that_is_not_an_absolute_url(String referrer) {
        Violation v = rejected(Events.with(json(view("{'name':'n'}")), "properties.referrer", referrer));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("properties.referrer");
    }

    @Test
    void rejects_fields_of_the_wrong_type_naming_them() {
        assertThat(rejected(json(view("{'name':42}")))).isEqualTo(
                new Violation("invalid_type", "properties.name", "properties.name must be a string"));
        assertThat(rejected(json(view("{'name':'n','title':true}"))).field()).isEqualTo("properties.title");
        assertThat(rejected(json(view("{'name':''}"))).code()).isEqualTo("invalid_value");
    }
}
