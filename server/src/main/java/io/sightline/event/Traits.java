package io.sightline.event;

/**
 * Who the user is, for the ad platforms' matching, as SHA-256 digests only (64 lower-case hex digits; any may be
 * null): the raw email, phone or external id never leaves validation. {@code phoneSha256} hashes the E.164 digits
 * without '+' (Meta's form), {@code phoneE164Sha256} the same number with it (Google Ads', X's). A phone the
 * client sent already hashed is in both as given. See {@link TraitHasher} for the normalisation.
 */
public record Traits(String emailSha256, String phoneSha256, String phoneE164Sha256, String externalIdSha256) {
    public static final Traits NONE = new Traits(null, null, null, null);
}
