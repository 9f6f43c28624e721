package io.sightline.destinations.platforms;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OAuth1SignerTest {
    @Test
    void builds_the_base_string_of_rfc_5849_section_3_4_1_1() {
        URI uri = URI.create("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        List<OAuth1Signer.Param> params = new ArrayList<>(OAuth1Signer.queryParams(uri));
        params.addAll(OAuth1Signer.formParams("c2&a3=2+q"));
        params.addAll(List.of(
                new OAuth1Signer.Param("oauth_consumer_key", "9djdj82h48djs9d2"),
                new OAuth1Signer.Param("oauth_token", "kkk9d7dh3k39sjv7"),
                new OAuth1Signer.Param("oauth_signature_method", "HMAC-SHA1"),
                new OAuth1Signer.Param("oauth_timestamp", "137131201"),
                new OAuth1Signer.Param("oauth_nonce", "7d8f3e4a")));

        assertThat(OAuth1Signer.baseString("POST", uri, params)).isEqualTo(
                "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
                        + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
                        + "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
                        + "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
                        + "9d7dh3k39sjv7");
    }

    @Test
    void reproduces_the_signature_of_x_creating_a_signature_example() {
        URI uri = URI.create("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
        List<OAuth1Signer.Param> params = new ArrayList<>(OAuth1Signer.queryParams(uri));
        params.add(new OAuth1Signer.Param("status", "Hello Ladies + Gentlemen, a signed OAuth request!"));
        params.addAll(List.of(
                new OAuth1Signer.Param("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
                new OAuth1Signer.Param("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
                new OAuth1Signer.Param("oauth_signature_method", "HMAC-SHA1"),
                new OAuth1Signer.Param("oauth_timestamp", "1318622958"),
                new OAuth1Signer.Param("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
                new OAuth1Signer.Param("oauth_version", "1.0")));

        String base = OAuth1Signer.baseString("POST", uri, params);
        assertThat(base).isEqualTo("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue"
                + "%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958"
                + "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0"
                + "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
        assertThat(OAuth1Signer.sign(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"))
                .isEqualTo("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    @Test
    void percent_encodes_all_but_the_unreserved_characters_with_upper_case_hex() {
        assertThat(OAuth1Signer.encode("Ladies + Gentlemen, ~a_b-c.d!*é")).isEqualTo("Ladies%20%2B%20Gentlemen%2C%20~a_b-c.d%21%2A%C3%A9");
    }

    @Test
    void header_carries_the_oauth_parameters_and_a_signature_over_them() {
        OAuth1Signer signer = new OAuth1Signer(() -> "abc123", Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC));
        String header = signer.authorization("POST", URI.create("https://ads-api.x.com/12/measurement/conversions/o8z6j"),
                new OAuth1Signer.Credentials("ck", "cs", "tk", "ts"));

        assertThat(header).startsWith("OAuth ").contains("oauth_consumer_key=\"ck\"", "oauth_nonce=\"abc123\"",
                "oauth_signature_method=\"HMAC-SHA1\"", "oauth_timestamp=\"1700000000\"", "oauth_token=\"tk\"",
                "oauth_version=\"1.0\"", "oauth_signature=\"").doesNotContain("\"cs\"", "\"ts\"");
    }
}
