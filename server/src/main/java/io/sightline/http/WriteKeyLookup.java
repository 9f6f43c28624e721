package io.sightline.http;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Finds the app a write key belongs to, for {@link Access#WRITE_KEY} routes. The app is opaque to the edge: the
 * {@link Authorizer} only puts it on the request, where the feature's handler reads it back with
 * {@link Authorizer#app}.
 *
 * @param <A> the app, as the feature that owns write keys models it
 */
public interface WriteKeyLookup<A> {
    /** The app of this key; empty for a key that is unknown, rotated away or malformed. */
    Optional<A> authenticate(String writeKey) throws SQLException;
}
