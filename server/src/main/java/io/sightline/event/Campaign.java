package io.sightline.event;

/** The UTM parameters of the link that brought the user, as sent; every component may be null. */
public record Campaign(String utmSource, String utmMedium, String utmCampaign, String utmContent, String utmTerm) {
    public static final Campaign NONE = new Campaign(null, null, null, null, null);
}
