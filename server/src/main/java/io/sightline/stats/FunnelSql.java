package io.sightline.stats;

import io.sightline.funnel.FunnelEvents;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one query a raw funnel reads its chunks with: per event of any step, the actor's 56-bit hash with the step
 * mask in the top byte, and the time. {@link FunnelService} runs it per chunk of the range and slice of the actors.
 */
final class FunnelSql {
    private static final long ACTOR_BITS = FunnelEvents.ACTOR_BITS;
    private static final Settings RENDER = new Settings().withRenderFormatted(false);

    private FunnelSql() {
    }

    /**
     * {@code SELECT hash(actor) | mask << 56, occurred_at} of the events of any step in {@code [from, to)}, in time
     * order, for the actors of one {@code slice} of {@code slices} (a power of two; by their hash's low bits).
     */
    static Select<?> select(FunnelQuery query, Instant from, Instant to, int slice, int slices) {
        StatsQuery stats = query.stats();
        Field<String> actor = query.count() == FunnelQuery.Count.VISITORS
                ? EventConditions.VISITOR_ID : EventConditions.SESSION_ID;
        // Any step: one IN over the plain event types (cheaper per row than an OR of equalities), OR each custom:<name>
        // and screen_view:<path>.
        List<Condition> anyStep = new ArrayList<>();
        Set<String> plainTypes = new LinkedHashSet<>();
        List<Field<Long>> bits = new ArrayList<>();
        for (int k = 0; k < query.steps().size(); k++) {
            FunnelStep s = query.steps().get(k);
            if (s.wholeType()) {
                plainTypes.add(s.type().wireName());
            } else {
                anyStep.add(s.condition());
            }
            bits.add(DSL.when(s.condition(), DSL.inline(1L << k)).else_(DSL.inline(0L)));
        }
        if (!plainTypes.isEmpty()) {
            anyStep.add(EventConditions.EVENT_TYPE.in(plainTypes));
        }
        Field<Long> mask = bits.get(0);
        for (int k = 1; k < bits.size(); k++) {
            mask = mask.plus(bits.get(k));
        }
        // One int8 per event for actor and steps (a column less to decode per row): the hash's low 56 bits, and
        // the mask (at most 8 steps) in the top 8. Two of 300,000 actors share 56 bits with probability 6e-7.
        Field<Long> actorAndSteps = DSL.field("(hashtextextended({0}, 0) & {1}) | (({2})::int8 << 56)", SQLDataType.BIGINT,
                actor, DSL.inline(ACTOR_BITS), mask);
        DSLContext render = DSL.using(SQLDialect.POSTGRES, RENDER);
        return render.select(actorAndSteps, EventConditions.OCCURRED_AT)
                .from(EventConditions.EVENTS)
                .where(EventConditions.of(stats, from, to))
                .and(actor.isNotNull())
                .and(DSL.or(anyStep))
                .and(slices == 1 ? DSL.noCondition() : DSL.field("(hashtextextended({0}, 0) & {1})", SQLDataType.BIGINT,
                        actor, DSL.inline((long) slices - 1)).eq(DSL.inline((long) slice)))
                .orderBy(EventConditions.OCCURRED_AT);
    }

}
