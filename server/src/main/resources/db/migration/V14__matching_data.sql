-- What the ad platforms match a forwarded conversion by (issue 15), from the event's context.
-- click_ids: the object of the click and browser ids the client sent (fbclid, fbc, fbp, gclid, gbraid, wbraid,
-- li_fat_id, twclid), as sent; NULL when it sent none. The utm_* columns are stats dimensions.
-- The *_sha256 columns hold SHA-256 digests as 64 lower-case hex digits, made at ingestion from the normalised
-- traits; the raw email, phone and external id are never stored. phone_sha256 hashes the E.164 digits without '+'
-- (Meta), phone_e164_sha256 with it (Google Ads, X); a phone sent already hashed is in both as it came.
-- Adding nullable columns without a default only changes the catalogue: no partition is rewritten.
ALTER TABLE analytics_events
    ADD COLUMN click_ids          jsonb,
    ADD COLUMN utm_source         text,
    ADD COLUMN utm_medium         text,
    ADD COLUMN utm_campaign       text,
    ADD COLUMN utm_content        text,
    ADD COLUMN utm_term           text,
    ADD COLUMN email_sha256       text,
    ADD COLUMN phone_sha256       text,
    ADD COLUMN phone_e164_sha256  text,
    ADD COLUMN external_id_sha256 text;
