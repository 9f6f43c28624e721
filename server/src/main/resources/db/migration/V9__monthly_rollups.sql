-- Monthly rollups: a month of an app's daily rows (V5__rollups.sql) merged into one row per event type, dimension
-- and value, so a long range unites one sketch per month instead of one per day. Same shape as the daily tables;
-- "day" is the first day of the month in the app's time zone. Built by the rollup job and backfill (both through
-- RollupService) once every day of the month is rolled, and rebuilt in the transaction of any re-roll of one of
-- its days, so these rows always equal the merge of the daily rows.
CREATE TABLE analytics_monthly_stats (
    app_id     bigint NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day        date   NOT NULL,
    event_type text   NOT NULL,
    dimension  text   NOT NULL,
    value      text   NOT NULL,
    events     bigint NOT NULL,
    visitors   bytea  NOT NULL,
    sessions   bytea  NOT NULL,
    PRIMARY KEY (app_id, dimension, day, event_type, value)
);

CREATE TABLE analytics_monthly_values (
    app_id      bigint  NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day         date    NOT NULL,
    dimension   text    NOT NULL,
    value       text    NOT NULL,
    currency    text    NOT NULL,
    conversions bigint  NOT NULL,
    value_sum   numeric NOT NULL,
    PRIMARY KEY (app_id, dimension, day, value, currency)
);

-- Which months are built, and in which time zone (every day of the month was rolled in it).
CREATE TABLE rollup_months (
    app_id    bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day       date        NOT NULL,
    time_zone text        NOT NULL,
    rolled_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, day)
);
