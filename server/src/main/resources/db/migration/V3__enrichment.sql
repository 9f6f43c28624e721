-- One random salt per UTC day, shared by every instance. Derived visitor ids and IP hashes are
-- HMAC-SHA256(salt of the day, ...). A salt is deleted after SIGHTLINE_SALT_RETENTION (48 h by default);
-- from then on nothing stored can be linked back to an address or across days.
CREATE TABLE salts (
    day        date        PRIMARY KEY,
    salt       bytea       NOT NULL CHECK (length(salt) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Names of the columns the server filled in because the client did not send them (for example
-- {country,city} from GeoIP), so the dashboard can tell reported values from derived ones.
ALTER TABLE analytics_events ADD COLUMN derived text[] NOT NULL DEFAULT '{}';

-- IP hashes move to the daily salt. The old permanent key is deleted, so hashes made with it can no
-- longer be matched against anything.
DELETE FROM server_secrets WHERE name = 'ip_hash_key';
