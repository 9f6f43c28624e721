-- Read-only API tokens of one app (the stats API), created by an admin. Like admin_tokens, only the SHA-256 of
-- the token is kept. A revoked token keeps its row (revoked_at set) so the list shows what existed and when.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id     bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label      text        NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    -- admin_tokens.id of the creator; no foreign key, so that removing an admin token keeps this history.
    created_by bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_app ON api_tokens (app_id);
