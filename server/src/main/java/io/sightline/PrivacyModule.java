package io.sightline;

import io.sightline.auth.AppStore;
import io.sightline.http.Routes;
import io.sightline.privacy.PrivacyHandler;
import io.sightline.privacy.PrivacyService;
import io.sightline.privacy.PrivacyStore;

/** GDPR export and erasure of one visitor or user, and the log of those requests. */
final class PrivacyModule {
    private PrivacyModule() {
    }

    static Routes build(Shared shared, AppStore apps) {
        PrivacyHandler handler = new PrivacyHandler(
                new PrivacyService(new PrivacyStore(shared.database().dataSource()), apps, shared.clock()), shared.mapper());
        return handler::routes;
    }
}
