package io.sightline.store;

import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The stored events' table (V2__analytics_events.sql) for the packages that read it: the store owns and writes it,
 * and a reader puts this name into its SQL rather than spelling the table out, so the name lives in one place.
 */
public final class EventTable {
    /** The table's name, for SQL text. A constant, never input. */
    public static final String NAME = "analytics_events";
    /** The same table for jOOQ queries. */
    public static final Table<?> TABLE = DSL.table(DSL.name(NAME));

    private EventTable() {
    }
}
