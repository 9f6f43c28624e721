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

/** The context's click ids, campaign and traits: what is taken, how traits are hashed, and what is refused. */
class MatchingDataTest {
    /** Meta's documented example: "John_Smith@gmail.com" normalised to john_smith@gmail.com. */
    private static final String JOHN_SMITH = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f";
    /** Meta's documented example: US (650)555-1212 normalised to 16505551212. */
    private static final String META_PHONE = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176";
    /** SHA-256 of "+16505551212". */
    private static final String E164_PHONE = "1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8";

    private static ObjectNode withContext(String path, Object value) {
        return with(minimal(EventType.CONVERSION), "context." + path, value);
    }

    private static Traits traits(String key, String value) {
        return accepted(withContext("traits." + key, value)).context().traits();
    }

    @Test
    void reads_every_click_id_and_utm_parameter_as_sent() {
        EventContext context = accepted(json("{'type':'screenshot','context':{'click_ids':{"
                + "'fbclid':'IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk',"
                + "'fbc':'fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk',"
                + "'fbp':'fb.1.1596403881668.1116446470','gclid':'Cj0KCQjw-abc_DEF','gbraid':'0AAAAAo',"
                + "'wbraid':'CkMKCQ','li_fat_id':'c3e6a1b2-77d0-4c2c-9b8a-1f2e3d4c5b6a','twclid':'2-7abcXYZ'},"
                + "'campaign':{'utm_source':'meta','utm_medium':'paid_social','utm_campaign':'Spring Sale',"
                + "'utm_content':'carousel-2','utm_term':'oak chair'}}}")).context();

        assertThat(context.clickIds()).isEqualTo(new ClickIds(
                "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
                "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
                "fb.1.1596403881668.1116446470", "Cj0KCQjw-abc_DEF", "0AAAAAo", "CkMKCQ",
                "c3e6a1b2-77d0-4c2c-9b8a-1f2e3d4c5b6a", "2-7abcXYZ"));
        assertThat(context.campaign()).isEqualTo(new Campaign("meta", "paid_social", "Spring Sale", "carousel-2",
                "oak chair"));
        assertThat(context.traits()).isEqualTo(Traits.NONE);
    }

    @Test
    void absent_parts_and_empty_strings_count_as_not_given() {
        EventContext none = accepted(minimal(EventType.CONVERSION)).context();
        assertThat(none.clickIds()).isEqualTo(ClickIds.NONE);
        assertThat(none.campaign()).isEqualTo(Campaign.NONE);
        assertThat(none.traits()).isEqualTo(Traits.NONE);

        EventContext empty = accepted(json("{'type':'screenshot','context':{'click_ids':{'gclid':'','fbc':''},"
                + "'campaign':{'utm_term':''},'traits':{'email':'  ','phone':'','external_id':' '}}}")).context();
        assertThat(empty.clickIds().isEmpty()).isTrue();
        assertThat(empty.clickIds().json()).isNull();
        assertThat(empty.campaign()).isEqualTo(Campaign.NONE);
        assertThat(empty.traits()).isEqualTo(Traits.NONE);
    }

    @Test
    void click_ids_become_a_json_object_of_the_ids_that_are_set() {
        ClickIds ids = accepted(json("{'type':'screenshot','context':{'click_ids':{'twclid':'t\"1','gclid':'g\\\\2'}}}"))
                .context().clickIds();

        assertThat(ids.json()).isEqualTo("{\"gclid\":\"g\\\\2\",\"twclid\":\"t\\\"1\"}");
    }

    @Test
    void hashes_an_email_trimmed_and_lower_cased_as_meta_documents_it() {
        assertThat(traits("email", "  John_Smith@gmail.com ").emailSha256()).isEqualTo(JOHN_SMITH);
        assertThat(traits("email", "JOHN_SMITH@GMAIL.COM").emailSha256()).isEqualTo(JOHN_SMITH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 (650) 555-1212", "+16505551212", "001 650 555 1212", "+1.650.555.1212",
            "+1/650/555-1212", "\u00a0+1 650 555 1212\t"})
    void hashes_a_phone_as_e164_digits_without_and_with_the_plus(String phone) {
        Traits t = traits("phone", phone);

        assertThat(t.phoneSha256()).isEqualTo(META_PHONE);
        assertThat(t.phoneE164Sha256()).isEqualTo(E164_PHONE);
    }

    @Test
    void drops_the_trunk_prefix_written_in_parentheses_after_the_country_code() {
        assertThat(traits("phone", "+49 (0)30 1234567").phoneSha256())
                .isEqualTo(TraitHasher.sha256("49301234567"));
        // Italy keeps its leading 0 in E.164, so a bare 0 after the country code stays.
        assertThat(traits("phone", "+39 06 6982").phoneE164Sha256()).isEqualTo(TraitHasher.sha256("+39066982"));
    }

    @Test
    void hashes_an_external_id_trimmed_with_its_case_kept() {
        assertThat(traits("external_id", " User-42 ").externalIdSha256()).isEqualTo(TraitHasher.sha256("User-42"));
        assertThat(traits("external_id", "User-42").externalIdSha256())
                .isNotEqualTo(traits("external_id", "user-42").externalIdSha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"email", "phone", "external_id"})
    void takes_a_value_of_64_hex_digits_as_already_hashed_and_lower_cases_it(String key) {
        String given = JOHN_SMITH.toUpperCase();
        Traits t = traits(key, " " + given + " ");

        String stored = switch (key) {
            case "email" -> t.emailSha256();
            case "phone" -> t.phoneSha256();
            default -> t.externalIdSha256();
        };
        assertThat(stored).isEqualTo(JOHN_SMITH);
        if (key.equals("phone")) {
            assertThat(t.phoneE164Sha256()).as("a pre-hashed phone goes into both columns").isEqualTo(JOHN_SMITH);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"650 555 1212", "(650) 555-1212", "0301234567", "16505551212"})
    void refuses_a_phone_without_a_country_code_naming_the_field(String phone) {
        Violation v = rejected(withContext("traits.phone", phone));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("context.traits.phone");
        assertThat(v.message()).contains("country").doesNotContain(phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 650 CALL NOW", "+0 650 555 1212", "+49 30", "+1234567890123456", "00", "+",
            "+1 650 555 1212 ext. 3", "++16505551212"})
    void refuses_a_phone_that_is_no_e164_number(String phone) {
        Violation v = rejected(withContext("traits.phone", phone));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("context.traits.phone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"john.smith", "@mail.test", "john@", "john smith@mail.test", "a@b\nc"})
    void refuses_an_email_that_is_no_address_without_echoing_it(String email) {
        Violation v = rejected(withContext("traits.email", email));

        assertThat(v.code()).isEqualTo("invalid_value");
        assertThat(v.field()).isEqualTo("context.traits.email");
        assertThat(v.message()).doesNotContain(email);
    }

    @ParameterizedTest
    @CsvSource({"click_ids.msclkid,context.click_ids.msclkid", "campaign.utm_id,context.campaign.utm_id",
            "traits.first_name,context.traits.first_name"})
    void refuses_an_unknown_key_inside_each_part_naming_it(String path, String field) {
        Violation v = rejected(withContext(path, "x"));

        assertThat(v.code()).isEqualTo("unknown_field");
        assertThat(v.field()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"context.click_ids", "context.campaign", "context.traits"})
    void refuses_a_part_that_is_not_an_object(String field) {
        Violation v = rejected(with(minimal(EventType.SCREENSHOT), field, List.of()));

        assertThat(v.code()).isEqualTo("invalid_type");
        assertThat(v.field()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"click_ids.gclid", "campaign.utm_source", "traits.email", "traits.phone",
            "traits.external_id"})
    void refuses_a_value_that_is_not_a_string(String path) {
        Violation v = rejected(withContext(path, 4930123456L));

        assertThat(v.code()).isEqualTo("invalid_type");
        assertThat(v.field()).isEqualTo("context." + path);
    }

    @ParameterizedTest
    @CsvSource({"click_ids.gclid,500", "click_ids.li_fat_id,500", "campaign.utm_campaign,255",
            "campaign.utm_term,255", "traits.external_id,256"})
    void accepts_a_value_at_its_limit_and_refuses_one_character_more(String path, int limit) {
        accepted(withContext(path, repeat('x', limit)));

        Violation v = rejected(withContext(path, repeat('x', limit + 1)));
        assertThat(v.code()).isEqualTo("too_long");
        assertThat(v.field()).isEqualTo("context." + path);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "|", value = {"gclid|Cj0 KCQ", "twclid|ab\tc", "gbraid|0AAAA\u00e9", "fbclid|x\u0000y"})
    void refuses_click_ids_with_spaces_controls_or_non_ascii_characters(String key, String value) {
        Violation v = rejected(withContext("click_ids." + key, value));

        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("context.click_ids." + key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"IwAR2F4-dbP0l7Mn1", "fb.1.IwAR2F4", "fb.x.1554763741205.IwAR2F4", "fb.1.1554763741205.",
            "fc.1.1554763741205.IwAR2F4", "fb.1.1554763741205"})
    void refuses_an_fbc_or_fbp_not_in_metas_cookie_form(String value) {
        assertThat(rejected(withContext("click_ids.fbc", value)).field()).isEqualTo("context.click_ids.fbc");
        assertThat(rejected(withContext("click_ids.fbp", value)).field()).isEqualTo("context.click_ids.fbp");
    }

    @Test
    void accepts_an_fbc_with_the_parameter_builders_appended_part() {
        String fbc = "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1.AQ";
        assertThat(accepted(withContext("click_ids.fbc", fbc)).context().clickIds().fbc()).isEqualTo(fbc);
    }

    @Test
    void keeps_unicode_in_utm_values_but_refuses_control_characters() {
        assertThat(accepted(withContext("campaign.utm_campaign", "Frühling 🌷")).context().campaign().utmCampaign())
                .isEqualTo("Frühling 🌷");

        Violation v = rejected(withContext("campaign.utm_medium", "cpc\n"));
        assertThat(v.code()).isEqualTo("invalid_character");
        assertThat(v.field()).isEqualTo("context.campaign.utm_medium");
    }

    @Test
    void reports_the_first_wrong_trait_in_the_documented_order() {
        ObjectNode event = withContext("traits.external_id", 7);
        with(event, "context.traits.phone", "555 1212");
        with(event, "context.traits.email", "nobody");

        assertThat(rejected(event).field()).isEqualTo("context.traits.email");
    }
}
