-- Each rollup row's own unique visitor and session estimates, written with its sketches, so that a reader that
-- needs only one row per answer (a day's bucket of a daily timeseries) does not fetch and decode 2 x 16 KiB of
-- sketch per day. NULL on rows rolled before this migration: readers fall back to the sketches there.
ALTER TABLE analytics_daily_stats ADD COLUMN visitor_count bigint, ADD COLUMN session_count bigint;
ALTER TABLE analytics_monthly_stats ADD COLUMN visitor_count bigint, ADD COLUMN session_count bigint;
