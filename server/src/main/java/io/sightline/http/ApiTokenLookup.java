package io.sightline.http;

import java.sql.SQLException;
import java.util.Optional;

/** Finds a read-only API token, for {@link Access#STATS} routes. */
public interface ApiTokenLookup {
    /** What every API token starts with, so a bearer token is told apart from an admin token without a lookup. */
    String prefix();

    /** The id of the app a live (not revoked) token belongs to; empty for anything else. */
    Optional<Long> appOf(String token) throws SQLException;
}
