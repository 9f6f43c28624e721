-- analytics_events loses its primary key (app_id, event_id, occurred_at). Since V12, event_keys decides whether an
-- event is new, and the writer moves into analytics_events only the rows whose id it claimed there, so the second
-- key only cost the writer: one more B-tree on random UUIDs, each event touching another of its pages. Measured
-- back to back (bench/ingest-benchmark.sh, 2 cores): /batch 39,280 events/s with it, 60,460 without.
--
-- What still reaches a row by its identity does so without it: retention deletes by row address per partition
-- (EventRetention), erasure by (app_id, occurred_at) index plus event_id (PrivacyStore), and rollups and stats
-- read by (app_id, occurred_at).
ALTER TABLE analytics_events DROP CONSTRAINT analytics_events_pkey;
