package io.sightline.http;

import java.sql.SQLException;
import java.util.Optional;

/** Finds an admin token, for {@link Access#ADMIN} routes and as the fallback of the others. */
public interface AdminTokenLookup {
    /** The token's id, kept for auditing as {@link Authorizer#actor}; empty when it is no admin token. */
    Optional<Long> find(String token) throws SQLException;
}
