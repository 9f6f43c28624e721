package io.sightline.rollup;

import io.sightline.store.Database;
import io.sightline.testing.TestDatabase;

/** A fresh, migrated database of the shared test PostgreSQL, without a server around it. */
final class RollupDatabase {
    private RollupDatabase() {
    }

    static Database open() {
        return Database.open(TestDatabase.createDatabase(), "postgres", TestDatabase.server().password(), 6);
    }
}
