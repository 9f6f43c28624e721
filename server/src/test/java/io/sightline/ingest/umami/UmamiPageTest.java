package io.sightline.ingest.umami;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The page facts of Umami's two tracker versions, and the cache token: pure logic. */
class UmamiPageTest {

    @Test
    void an_absolute_url_is_kept_and_its_path_decoded() {
        UmamiPage page = UmamiPage.of("https://Shop.example:8443/a%20b/%C3%BCber?x=1#top", null);
        assertThat(page.url()).isEqualTo("https://Shop.example:8443/a%20b/%C3%BCber?x=1#top");
        assertThat(page.path()).isEqualTo("/a b/über");
        assertThat(UmamiPage.of("https://shop.example", null).path()).isEqualTo("/");
        assertThat(UmamiPage.of("https://shop.example?x=1", null).path()).isEqualTo("/");
    }

    @Test
    void a_path_is_made_absolute_with_the_hostname_and_stays_a_path_without_one() {
        assertThat(UmamiPage.of("/menu?day=mon", "shop.example"))
                .isEqualTo(new UmamiPage("https://shop.example/menu?day=mon", "/menu"));
        assertThat(UmamiPage.of("/menu", null)).isEqualTo(new UmamiPage(null, "/menu"));
        assertThat(UmamiPage.of("/menu", "evil.example/x?")).isEqualTo(new UmamiPage(null, "/menu"));
        assertThat(UmamiPage.of("", "shop.example")).isEqualTo(new UmamiPage(null, null));
    }

    @Test
    void a_url_over_the_limit_loses_its_query_first() {
        String url = "https://shop.example/p?" + "q".repeat(UmamiPage.MAX_URL);
        assertThat(UmamiPage.of(url, null).url()).isEqualTo("https://shop.example/p");
    }

    @Test
    void titles_are_decoded_as_umami_decodes_them_and_kept_when_they_do_not_decode() {
        assertThat(UmamiPage.title("Caf%C3%A9%20%26%20more")).isEqualTo("Café & more");
        assertThat(UmamiPage.title("C++ in 100% of cases")).isEqualTo("C++ in 100% of cases");
        assertThat(UmamiPage.title("%FF%FE")).isEqualTo("%FF%FE");
        assertThat(UmamiPage.title("\uD83D\uDE00 %F0%9F%98%80")).isEqualTo("\uD83D\uDE00 \uD83D\uDE00");
        assertThat(UmamiPage.title("t".repeat(600))).hasSize(UmamiPage.MAX_TITLE);
        assertThat(UmamiPage.title("")).isNull();
    }

    @Test
    void a_referrer_is_kept_only_when_it_is_an_absolute_http_url() {
        assertThat(UmamiPage.referrer("https://search.example/?q=x")).isEqualTo("https://search.example/?q=x");
        assertThat(UmamiPage.referrer("")).isNull();
        assertThat(UmamiPage.referrer("/internal")).isNull();
        assertThat(UmamiPage.referrer("android-app://com.example")).isNull();
    }

    @Test
    void the_cache_token_names_the_website_and_its_issue_time_under_an_hmac_of_the_server_key() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        UUID website = UUID.randomUUID();
        String token = new UmamiCacheToken(key, Clock.fixed(now, ZoneOffset.UTC)).issue(website);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(2);
        ByteBuffer claims = ByteBuffer.wrap(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(new UUID(claims.getLong(), claims.getLong())).isEqualTo(website);
        assertThat(claims.getLong()).isEqualTo(now.getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = Arrays.copyOf(mac.doFinal(Base64.getUrlDecoder().decode(parts[0])), 16);
        assertThat(Base64.getUrlDecoder().decode(parts[1])).isEqualTo(expected);
        assertThat(new UmamiCacheToken(new byte[32], Clock.fixed(now, ZoneOffset.UTC)).issue(website))
                .isNotEqualTo(token);
    }
}
