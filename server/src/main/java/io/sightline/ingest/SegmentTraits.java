package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.event.Traits;
import io.sightline.event.Validation;

import java.util.function.Function;

/**
 * The traits of a Segment message that Sightline keeps: {@code email} and {@code phone}, which validation hashes
 * (SHA-256, normalised as the ad platforms document), exactly as on the native path; every other trait (name,
 * address, plan, ...) is dropped unread. A trait that validation would refuse (a phone number without its country
 * code, say) is left out instead of costing the message: Segment's SDKs send whatever the app put there.
 *
 * <p>The check runs the native validation on a probe event that carries only that trait, so the rules and the
 * hashing stay in one place ({@code event.TraitHasher}); it costs one validation per trait, for messages with traits.
 */
final class SegmentTraits {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] KEPT = {"email", "phone"};

    private final Function<JsonNode, Validation> validate;

    /** {@code validate}: the pipeline's first step. */
    SegmentTraits(Function<JsonNode, Validation> validate) {
        this.validate = validate;
    }

    /** The native {@code context.traits} object for these Segment traits, raw values (validation hashes them); null when none is usable. */
    ObjectNode usable(JsonNode traits) {
        if (traits == null || !traits.isObject()) {
            return null;
        }
        ObjectNode kept = null;
        for (String key : KEPT) {
            JsonNode value = traits.get(key);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                continue;
            }
            ObjectNode one = NODES.objectNode().put(key, value.textValue());
            if (probe(one) != null) {
                kept = kept == null ? NODES.objectNode() : kept;
                kept.put(key, value.textValue());
            }
        }
        return kept;
    }

    /** The digests of the usable traits, as validation makes them; {@link Traits#NONE} when none is usable. */
    Traits hashed(JsonNode traits) {
        ObjectNode usable = usable(traits);
        if (usable == null) {
            return Traits.NONE;
        }
        Traits hashed = probe(usable);
        return hashed == null ? Traits.NONE : hashed;
    }

    private Traits probe(ObjectNode traits) {
        ObjectNode probe = NODES.objectNode().put("type", "custom").put("name", "traits");
        probe.putObject("context").set("traits", traits);
        return validate.apply(probe) instanceof Validation.Valid valid ? valid.event().context().traits() : null;
    }
}
