package io.sightline.stats;

import io.sightline.store.Dimension;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventConditionsTest {
    private final DSLContext sql = DSL.using(SQLDialect.POSTGRES);

    @Test
    void filter_values_are_bound_never_inlined() {
        String hostile = "DE' OR 1=1 --";
        StatsQuery q = new StatsQuery(1, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"),
                ZoneOffset.UTC, List.of("qr_scan"), List.of(new Filter(Dimension.COUNTRY, FilterOperator.EQ, List.of(hostile)),
                new Filter(Dimension.QR_CODE_ID, FilterOperator.IN, List.of("a", "b"))));
        String rendered = sql.render(EventConditions.of(q));
        assertThat(rendered).doesNotContain(hostile).contains("properties->>'qr_code_id'");
        assertThat(sql.extractBindValues(EventConditions.of(q))).contains(hostile, "a", "b", "qr_scan");
    }
}
