-- One row per event. Partitioned by month on occurred_at so that retention drops whole partitions.
-- Partitions are created by the server (PartitionManager), ahead of time and on demand.
-- app_id leads every key so the table can later be distributed by app.
CREATE TABLE analytics_events (
    app_id              bigint           NOT NULL,
    event_id            uuid             NOT NULL,
    event_type          text             NOT NULL,
    event_name          text,
    occurred_at         timestamptz      NOT NULL,
    received_at         timestamptz      NOT NULL,
    session_id          text,
    visitor_id          text,
    user_id             text,
    ip_hash             bytea,
    country             text,
    region              text,
    city                text,
    latitude            double precision,
    longitude           double precision,
    location_accuracy_m double precision,
    os                  text,
    os_version          text,
    device_model        text,
    device_type         text,
    browser             text,
    browser_version     text,
    app_version         text,
    app_build           text,
    locale              text,
    sdk                 text,
    consent_analytics   boolean,
    consent_ads         boolean,
    is_bot              boolean          NOT NULL DEFAULT false,
    properties          jsonb            NOT NULL DEFAULT '{}',
    -- A retried event (same id and time) is stored once: the writer inserts with ON CONFLICT DO NOTHING.
    PRIMARY KEY (app_id, event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
