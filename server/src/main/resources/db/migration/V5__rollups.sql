-- Daily rollups: the stats API answers finished days from these tables instead of scanning events.
--
-- A day is a calendar day in the app's time zone (apps.time_zone). Shape: one row per app, day, event type,
-- dimension and value, not the cross product of dimensions. The row with dimension '' and value '' holds all
-- events of that type on that day; a row (dimension 'country', value 'DE') the events whose country was DE.
-- Value '' means "not set". The dimension names are io.sightline.store.Dimension's wire names.
CREATE TABLE analytics_daily_stats (
    app_id     bigint NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day        date   NOT NULL,
    event_type text   NOT NULL,
    dimension  text   NOT NULL,
    value      text   NOT NULL,
    events     bigint NOT NULL,
    -- Apache DataSketches HLL sketches (HLL_4, lgK 14, compact serialisation) of visitor_id and session_id,
    -- so that a range's unique count is the union of its daily sketches.
    visitors   bytea  NOT NULL,
    sessions   bytea  NOT NULL,
    PRIMARY KEY (app_id, dimension, day, event_type, value)
);

-- Conversion value per currency, from conversion events that carried properties.value and properties.currency,
-- with the same dimension rows as above.
CREATE TABLE analytics_daily_values (
    app_id      bigint  NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day         date    NOT NULL,
    dimension   text    NOT NULL,
    value       text    NOT NULL,
    currency    text    NOT NULL,
    conversions bigint  NOT NULL,
    value_sum   numeric NOT NULL,
    PRIMARY KEY (app_id, dimension, day, value, currency)
);

-- Which days are rolled up. A day without a row here is answered from raw events.
CREATE TABLE rollup_days (
    app_id    bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    day       date        NOT NULL,
    time_zone text        NOT NULL,
    rolled_at timestamptz NOT NULL,
    events    bigint      NOT NULL,
    PRIMARY KEY (app_id, day)
);

-- Late events: the writer marks the UTC date of every stored event that occurred more than a few minutes before
-- it was committed (a rolled-up day may then have changed). While a mark exists, the local days overlapping that
-- UTC date are answered from raw events; the rollup job re-rolls them and deletes the marks it has handled
-- (those with marked_at no later than the start of its run).
CREATE TABLE rollup_dirty (
    app_id    bigint      NOT NULL,
    day       date        NOT NULL,
    marked_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, day)
);

-- Per-app time ranges: rollups of one day, the stats API's reads of today, realtime, export, retention deletes.
CREATE INDEX analytics_events_app_time ON analytics_events (app_id, occurred_at);

-- db-scheduler's table (its documented PostgreSQL schema): rollup and retention jobs run on one instance at a time.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
