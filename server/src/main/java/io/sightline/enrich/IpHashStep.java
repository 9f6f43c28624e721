package io.sightline.enrich;

/**
 * Replaces the client address by HMAC(today's salt, IP). This is the last the address is seen: the stored
 * row holds only the hash, which nobody can reproduce once the day's salt is deleted.
 */
public final class IpHashStep implements Step {
    @Override
    public String name() {
        return "ip_hash";
    }

    @Override
    public Outcome apply(Draft draft, RequestFacts request) {
        if (request.clientIp() == null) {
            return draft;
        }
        return draft.withIpHash(request.ids().ipHash(request));
    }
}
