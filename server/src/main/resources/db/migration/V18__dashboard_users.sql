-- People who sign in to the web dashboard. Emails are stored trimmed and lower-cased by the server, so the plain
-- UNIQUE is case-insensitive in effect. password_hash is an Argon2id string ($argon2id$...); NULL until the user
-- sets a password through a one-time link, so an account can exist (first start, a new colleague) without one.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text        NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    role          text        NOT NULL CHECK (role IN ('admin', 'viewer')),
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The apps a viewer may read. Admins read every app and need no rows here. Deleting a user or an app removes
-- the grant with it.
CREATE TABLE user_apps (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_id  bigint NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, app_id)
);
CREATE INDEX user_apps_app ON user_apps (app_id);

-- Signed-in browsers. Like the tokens, only the SHA-256 of the cookie's value is kept, so a database dump signs
-- nobody in. expires_at slides forward with use but never past login_at plus 7 days. csrf_token is not a
-- credential on its own (it is worthless without the cookie) and the page must be able to read it back, so it is
-- kept as is.
CREATE TABLE dashboard_sessions (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    login_at   timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_id);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);

-- One-time links that let a user set (or reset) a password: first start, a new user, a reset. SHA-256 only;
-- used_at set once makes the link dead, and the row stays so that a second use is told apart from a typo.
CREATE TABLE password_links (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_links_user ON password_links (user_id);

-- Read-only links to one app's dashboard (shr_ tokens). Revoked links keep their row, as API tokens do.
-- created_by is admin_tokens.id or users.id as created_by_kind says; no foreign key, so history outlives both.
CREATE TABLE share_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id          bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    token_hash      bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label           text        NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    created_by      bigint      NOT NULL,
    created_by_kind text        NOT NULL CHECK (created_by_kind IN ('admin_token', 'user'))
);
CREATE INDEX share_links_app ON share_links (app_id);

-- Until now every actor was an admin token; from here a signed-in user may be one too. The kind says which table
-- the id points into, and the default keeps existing rows readable as what they were.
ALTER TABLE privacy_requests
    ADD COLUMN actor_kind text NOT NULL DEFAULT 'admin_token' CHECK (actor_kind IN ('admin_token', 'user'));
ALTER TABLE api_tokens
    ADD COLUMN created_by_kind text NOT NULL DEFAULT 'admin_token' CHECK (created_by_kind IN ('admin_token', 'user'));
