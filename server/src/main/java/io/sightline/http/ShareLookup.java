package io.sightline.http;

import java.sql.SQLException;
import java.util.Optional;

/** Finds the app of a share link's token: read-only access to one app's stats, for anyone holding the link. */
public interface ShareLookup {
    /** What every share token starts with, so it is told apart from the other bearer tokens without a lookup. */
    String prefix();

    /** The app of a live (not revoked) share token; empty for anything else. */
    Optional<Long> appOf(String token) throws SQLException;
}
