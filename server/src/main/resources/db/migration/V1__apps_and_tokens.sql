-- Apps own events; the write key is public (it ships inside SDKs), so it is stored as is.
CREATE TABLE apps (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    write_key      text        NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    retention_days integer     NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650),
    time_zone      text        NOT NULL DEFAULT 'UTC'
);

-- Admin tokens are secrets: only their SHA-256 is kept, so a database dump does not hand out access.
CREATE TABLE admin_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    label      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Server-wide secrets generated once (for example the key of the IP hash), shared by every instance.
CREATE TABLE server_secrets (
    name       text PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
