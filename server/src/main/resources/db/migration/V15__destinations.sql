-- Where an app's events are forwarded (Meta, Google Ads, GA4, LinkedIn, X, Umami). config holds the plain values
-- only; the credentials are in secrets, AES-256-GCM sealed with a key that is not in the database.
CREATE TABLE destinations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id           bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    type             text        NOT NULL CHECK (type IN ('meta', 'google_ads', 'ga4', 'linkedin', 'x', 'umami')),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    enabled          boolean     NOT NULL,
    config           jsonb       NOT NULL,
    secrets          bytea       NOT NULL,
    -- Which credentials are set (their names, not their values), so that listing needs no decryption.
    secret_names     text[]      NOT NULL,
    send_client_data boolean     NOT NULL DEFAULT false,
    -- The mapping as the admin gave it: [{"match": "conversion", "name": "Purchase"}, ...].
    rules            jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (app_id, name)
);

-- One row per mapping rule of each enabled destination, rewritten in the transaction that changes the destination,
-- so that the ingest writer can join stored events against it in SQL: match is an event type ('conversion') or
-- 'custom:<name>'; name is the platform event name (null: the platform's default); advertising says the event needs
-- ads consent (analytics consent otherwise).
CREATE TABLE destination_rules (
    destination_id bigint  NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    app_id         bigint  NOT NULL,
    match          text    NOT NULL,
    name           text,
    advertising    boolean NOT NULL,
    PRIMARY KEY (destination_id, match)
);
CREATE INDEX destination_rules_app_match ON destination_rules (app_id, match);
