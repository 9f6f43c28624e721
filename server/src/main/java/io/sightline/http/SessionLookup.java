package io.sightline.http;

import java.sql.SQLException;
import java.util.Optional;

/** Finds the user behind a dashboard session cookie, for {@link Access#SESSION} and as a way into the others. */
public interface SessionLookup {
    /** The signed-in user of a live session (and the session made to last longer); empty for anything else. */
    Optional<SessionUser> find(String sessionToken) throws SQLException;
}
