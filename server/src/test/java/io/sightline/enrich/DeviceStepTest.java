package io.sightline.enrich;

import io.sightline.event.DerivedField;
import io.sightline.event.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sightline.enrich.Drafts.NO_ANSWER;
import static io.sightline.enrich.Drafts.NO_DEVICE;
import static io.sightline.enrich.Drafts.NOWHERE;
import static io.sightline.enrich.Drafts.event;
import static io.sightline.enrich.Drafts.kept;
import static io.sightline.enrich.Drafts.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The bot filter and device steps over real User-Agents and the real Yauaa detector. */
class DeviceStepTest {
    private static final String IPHONE_APP = "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)";
    private static final String ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private static DeviceDetector detector;

    @BeforeAll
    static void buildDetector() {
        detector = new DeviceDetector(1_000, List.of("MyLoadTester"));
    }

    private static Outcome bots(boolean keep, String userAgent) {
        return new BotFilter(keep).apply(Draft.of(event()), resolved(userAgent));
    }

    private static Draft device(Device sent, String userAgent) {
        return kept(new DeviceStep().apply(Draft.of(event(NOWHERE, sent, NO_ANSWER)), resolved(userAgent)));
    }

    /** A request whose User-Agent the real detector resolved, as ingestion does before the steps run. */
    private static RequestFacts resolved(String userAgent) {
        return request("203.0.113.7", userAgent).withDevice(detector.resolve(userAgent).join());
    }

    @Test
    void drops_googlebot() {
        assertThat(bots(false, GOOGLEBOT)).isEqualTo(new Outcome.Drop(DropReason.BOT));
    }

    @Test
    void keeps_googlebot_flagged_when_bots_are_kept() {
        assertThat(kept(bots(true, GOOGLEBOT)).bot()).isTrue();
    }

    @Test
    void drops_a_configured_bot_pattern() {
        assertThat(bots(false, ANDROID_CHROME + " MyLoadTester/2")).isEqualTo(new Outcome.Drop(DropReason.BOT));
    }

    @Test
    void keeps_apps_browsers_and_app_http_libraries() {
        for (String agent : List.of(IPHONE_APP, ANDROID_CHROME, "okhttp/4.12.0",
                "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)", "Java-http-client/17.0.15")) {
            assertThat(kept(bots(false, agent)).bot()).as(agent).isFalse();
        }
    }

    @Test
    void fills_every_device_fact_from_an_ios_app_user_agent() {
        Draft d = device(NO_DEVICE, IPHONE_APP);

        assertThat(d.event().context().device())
                .isEqualTo(new Device("iOS", "17.4", "Apple iPhone", "phone", "MyApp", "2.3"));
        assertThat(d.derived()).containsExactlyInAnyOrder(DerivedField.OS, DerivedField.OS_VERSION,
                DerivedField.DEVICE_MODEL, DerivedField.DEVICE_TYPE, DerivedField.BROWSER, DerivedField.BROWSER_VERSION);
    }

    @Test
    void client_device_facts_win_over_the_user_agent() {
        Draft d = device(new Device("iOS", "17.5", "iPhone14,2", null, null, null), IPHONE_APP);

        assertThat(d.event().context().device())
                .isEqualTo(new Device("iOS", "17.5", "iPhone14,2", "phone", "MyApp", "2.3"));
        assertThat(d.derived()).doesNotContain(DerivedField.OS, DerivedField.OS_VERSION, DerivedField.DEVICE_MODEL);
    }

    @Test
    void does_not_mix_two_devices_when_the_client_names_another_os() {
        Draft d = device(new Device("visionOS", null, null, null, null, null), IPHONE_APP);

        Device stored = d.event().context().device();
        assertThat(stored.os()).isEqualTo("visionOS");
        assertThat(stored.osVersion()).isNull();
        assertThat(stored.model()).isNull();
        assertThat(stored.type()).isNull();
        assertThat(stored.browser()).isEqualTo("MyApp");
    }

    @Test
    void reads_a_mobile_browser() {
        Device stored = device(NO_DEVICE, ANDROID_CHROME).event().context().device();
        assertThat(stored.os()).isEqualTo("Android");
        assertThat(stored.osVersion()).isEqualTo("14");
        assertThat(stored.type()).isEqualTo("phone");
        assertThat(stored.browser()).isEqualTo("Chrome");
        assertThat(stored.browserVersion()).isEqualTo("131");
    }

    @Test
    void an_event_without_user_agent_keeps_what_the_client_sent() {
        Device sent = new Device("Android", "14", null, "phone", null, null);
        Draft d = device(sent, null);
        assertThat(d.event().context().device()).isEqualTo(sent);
        assertThat(d.derived()).isEmpty();
    }
}
