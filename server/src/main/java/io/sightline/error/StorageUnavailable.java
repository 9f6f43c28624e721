package io.sightline.error;

import java.sql.SQLException;

/**
 * PostgreSQL cannot be reached right now: the one storage failure every feature shares, so that a stats query, a
 * privacy export and an admin call all answer it the same way (retry later), not as a fault.
 */
public final class StorageUnavailable extends DomainException {
    private static final long serialVersionUID = 1L;
    public static final int RETRY_AFTER_SECONDS = 5;

    private enum Code implements Reason {
        DATABASE_UNAVAILABLE {
            @Override
            public Kind kind() {
                return Kind.UNAVAILABLE;
            }
        }
    }

    public StorageUnavailable(Throwable cause) {
        super(Code.DATABASE_UNAVAILABLE, "storage is temporarily unavailable; retry after the Retry-After delay", null,
                RETRY_AFTER_SECONDS, cause);
    }

    /**
     * Whether a failure means "the database cannot be reached right now" (SQLState class 08 connection,
     * 57P shutdown or crash, 53 resources, or no state at all, as with I/O errors and pool time-outs) rather
     * than a fault in the statement.
     */
    public static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
    }
}
