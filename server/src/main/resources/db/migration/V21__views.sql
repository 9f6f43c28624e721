-- Views (issue 17): the screen_view event type and its stats dimensions screen_name, path and referrer_domain
-- (io.sightline.store.Dimension), which count screen_view events only.
--
-- The referrer's domain: the host of an absolute URL (any scheme with "//", so android-app://com.example/ too),
-- lower-cased, without a leading "www."; NULL when there is none. One function, so the rollup job and the raw reads
-- of the stats API cannot disagree about it. A plain SQL function without STRICT, so the planner inlines it.
CREATE FUNCTION sightline_referrer_domain(referrer text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT nullif(regexp_replace(lower((regexp_match(referrer,
               '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^]/?#]*\]|[^/?#:]*)'))[1]), '^www\.', ''), '')
$$;

-- Rolled days and months get the rows of the new dimensions without being rolled again. No event stored before this
-- migration is a screen_view (the type did not exist), so each new dimension is "not set" ('') for all of them: its
-- only row per event type is a copy of the type's all-events row ('' / ''), exactly what a re-roll would write.
-- Without these rows a breakdown by path over old days would leave out their "not set" events.
INSERT INTO analytics_daily_stats
    (app_id, day, event_type, dimension, value, events, visitors, sessions, visitor_count, session_count)
SELECT s.app_id, s.day, s.event_type, d.dimension, '', s.events, s.visitors, s.sessions, s.visitor_count,
       s.session_count
FROM analytics_daily_stats s
CROSS JOIN (VALUES ('screen_name'), ('path'), ('referrer_domain')) AS d (dimension)
WHERE s.dimension = '' AND s.value = ''
ON CONFLICT DO NOTHING;

INSERT INTO analytics_monthly_stats
    (app_id, day, event_type, dimension, value, events, visitors, sessions, visitor_count, session_count)
SELECT s.app_id, s.day, s.event_type, d.dimension, '', s.events, s.visitors, s.sessions, s.visitor_count,
       s.session_count
FROM analytics_monthly_stats s
CROSS JOIN (VALUES ('screen_name'), ('path'), ('referrer_domain')) AS d (dimension)
WHERE s.dimension = '' AND s.value = ''
ON CONFLICT DO NOTHING;

INSERT INTO analytics_daily_values (app_id, day, dimension, value, currency, conversions, value_sum)
SELECT v.app_id, v.day, d.dimension, '', v.currency, v.conversions, v.value_sum
FROM analytics_daily_values v
CROSS JOIN (VALUES ('screen_name'), ('path'), ('referrer_domain')) AS d (dimension)
WHERE v.dimension = '' AND v.value = ''
ON CONFLICT DO NOTHING;

INSERT INTO analytics_monthly_values (app_id, day, dimension, value, currency, conversions, value_sum)
SELECT v.app_id, v.day, d.dimension, '', v.currency, v.conversions, v.value_sum
FROM analytics_monthly_values v
CROSS JOIN (VALUES ('screen_name'), ('path'), ('referrer_domain')) AS d (dimension)
WHERE v.dimension = '' AND v.value = ''
ON CONFLICT DO NOTHING;
