-- One row per GDPR access (export) or erasure (delete) request: the record that it was carried out, and by whom.
-- The subject is kept only as the SHA-256 of its visitor_id or user_id, never the id itself: the row can
-- confirm that a request for a given id was made, holds no personal data, and outlives the erasure it records.
CREATE TABLE privacy_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id       bigint      NOT NULL REFERENCES apps (id),
    action       text        NOT NULL CHECK (action IN ('export', 'delete')),
    subject_kind text        NOT NULL CHECK (subject_kind IN ('visitor_id', 'user_id')),
    subject_hash bytea       NOT NULL CHECK (length(subject_hash) = 32),
    -- admin_tokens.id of the caller; no foreign key, so that removing a token later keeps its history.
    actor        bigint      NOT NULL,
    requested_at timestamptz NOT NULL,
    -- NULL while running, and for good when the request did not finish (a failure, a client that went away,
    -- or a delete that new events of the subject kept outrunning); row_count is then what was done so far.
    completed_at timestamptz,
    row_count    bigint
);
