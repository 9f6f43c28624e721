-- Daily funnel rollups (issue 16): the dashboard's default funnel over 12 months read ~5 s of raw events; from
-- these rows it merges one small sketch per day and level. Per app, local day, rolled definition (its name in
-- funnel.FunnelDefinition.ROLLED) and level (step k, 1-based): the actors (visitors or sessions) whose deepest
-- chain started by a step-1 event of that day reaches step k, as a UniqueSketch (the same HLL as
-- analytics_daily_stats; actors keyed by funnel.FunnelEvents.sketchHash, so raw parts of a query merge into the
-- same sketch), and the gaps from step k-1 to k of those chains as a funnel.GapHistogram (empty for level 1).
--
-- A day's rows read events from the day's start to its end plus the definition's window (a chain started late in
-- the day finishes the next), so they are written only once that end plus the window is older than the rollup
-- delay (until then the funnel reads the day raw, and the rollup job writes them on a later run); every level is
-- written, even an empty one, so "the day has rows" means "the day was counted". time_zone is the zone the day
-- was rolled in, as in rollup_days. A late event on day E changes the rows of E and of the days whose end plus
-- the window reaches into E, so readers refuse a day with a late-event mark on any UTC date its reads touch, and
-- the rollup job rolls those days' funnel rows again with E. Retention deletes them with the daily stats.
CREATE TABLE analytics_daily_funnels (
    app_id     bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day        date        NOT NULL,
    definition text        NOT NULL,
    level      smallint    NOT NULL,
    time_zone  text        NOT NULL,
    rolled_at  timestamptz NOT NULL,
    actors     bytea       NOT NULL,
    gaps       bytea       NOT NULL,
    PRIMARY KEY (app_id, definition, day, level)
);
