-- Segment's identify and alias: the anonymous visitor (anonymousId, stored as visitor_id) an app's user (userId) was
-- known as, so that later events of that visitor without a userId get the user's id. Owned by the ingest package's
-- Segment adapter. Traits only as SHA-256 digests (normalised as on the native path); no other trait is kept.
-- Privacy erasure deletes a subject's rows here too (privacy.PrivacyStore.SUBJECT_TABLES).
CREATE TABLE segment_identities (
    app_id            bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    visitor_id        text        NOT NULL,
    user_id           text        NOT NULL,
    email_sha256      text,
    phone_sha256      text,
    phone_e164_sha256 text,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (app_id, visitor_id)
);
-- Erasure by user_id.
CREATE INDEX segment_identities_user ON segment_identities (app_id, user_id);
