-- Settings the protocol adapters of issue 17 read per app, edited with PATCH /api/v1/apps/{id}.
-- umami_website_id: the website UUID Umami's tracker and @umami/node send; it names the app on /api/send. Unique,
-- so one website id never reaches two apps.
ALTER TABLE apps ADD COLUMN umami_website_id uuid UNIQUE;
-- event_types: client event names that mean one of Sightline's five types ({"Product Placed": "placement"}), as a
-- Segment SDK names events in words; names not listed become custom events. Checked by the route (at most 100).
ALTER TABLE apps ADD COLUMN event_types jsonb NOT NULL DEFAULT '{}'::jsonb;
