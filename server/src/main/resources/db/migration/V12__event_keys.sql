-- Every event id stored in the last SIGHTLINE_BACKFILL_WINDOW + SIGHTLINE_FUTURE_TOLERANCE, so that a retried
-- event is stored once whatever its occurred_at says: a retry without occurred_at gets a new server time, and
-- analytics_events' key (which must hold the partition column occurred_at) would take it as a new event.
--
-- The writer inserts a batch's keys here first (ON CONFLICT DO NOTHING, in key order) and moves into
-- analytics_events only the staged rows whose key it inserted, in the same transaction. A unique key, unlike a
-- NOT EXISTS lookup, also holds between the concurrent writers: the second inserter of an id waits for the first
-- one's transaction and then skips it.
--
-- received_at is the first copy's server receive time. The retention job deletes keys older than the window the
-- server still accepts a retry in, through the BRIN index (keys arrive in received_at order, so it stays small
-- and costs the writer next to nothing).
CREATE TABLE event_keys (
    app_id      bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, event_id)
);

CREATE INDEX event_keys_received_at ON event_keys USING brin (received_at);

-- An upgraded server keeps deduplicating the events it stored before: the largest backfill window (60 days) plus
-- the largest future tolerance (7 days). An event received then occurred at most that window before it, so the
-- occurred_at bound only lets PostgreSQL skip older partitions.
INSERT INTO event_keys (app_id, event_id, occurred_at, received_at)
SELECT DISTINCT ON (app_id, event_id) app_id, event_id, occurred_at, received_at
FROM analytics_events
WHERE received_at >= now() - interval '67 days' AND occurred_at >= now() - interval '127 days'
ORDER BY app_id, event_id, received_at
ON CONFLICT DO NOTHING;
