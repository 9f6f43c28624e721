-- The forwarding outbox (issue 15). Two tables, so that ingestion pays for as little as possible:
--
-- outbox_events: per commit and app, the ids and times of the stored events that some enabled destination of the
-- app wants (a rule in destination_rules matches the type or custom name, and the event has the consent that
-- destination needs). The writer inserts it in the same statement and transaction as the events themselves
-- (BatchCommitter), so an acknowledged event is never lost to forwarding, and an app without destinations costs
-- nothing but a probe of a small table. One row per commit rather than per event: measured with
-- bench/forwarding-benchmark.sh, a row and an index entry per event cost ingestion 18 % of its /batch rate. The forwarder claims rows FOR UPDATE SKIP LOCKED
-- (so instances share the work without sending anything twice at once), sends the events to every matching
-- destination, records what did not go through in destination_deliveries, and deletes the rows, all in one
-- transaction: a crash mid-send rolls it back and the events are sent again, with the same dedup keys.
--
-- destination_deliveries: one row per event and destination that did not get delivered at the first attempt:
-- waiting for a retry (pending), given up (dead, with the platform's own error), too old for the platform
-- (expired) or never sendable (skipped, with the reason). Delivered events leave no row; delivery_counts keeps
-- the tallies per destination and day.
CREATE TABLE outbox_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id      bigint        NOT NULL,
    -- In step: event_ids[i] occurred at occurred_ats[i].
    event_ids   uuid[]        NOT NULL,
    occurred_ats timestamptz[] NOT NULL,
    queued_at   timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE destination_deliveries (
    destination_id  bigint      NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,
    -- The outbox row it came from: the delivery id a platform client sees, the same on every attempt.
    outbox_id       bigint      NOT NULL,
    app_id          bigint      NOT NULL,
    occurred_at     timestamptz NOT NULL,
    -- So that a GDPR erasure finds a subject's deliveries as it finds their events (PrivacyStore).
    visitor_id      text,
    user_id         text,
    status          text        NOT NULL CHECK (status IN ('pending', 'dead', 'expired', 'skipped')),
    attempts        integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    queued_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_error      text,
    PRIMARY KEY (destination_id, event_id)
);

CREATE INDEX destination_deliveries_due ON destination_deliveries (destination_id, next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX destination_deliveries_app ON destination_deliveries (app_id, destination_id, status, updated_at);

CREATE TABLE delivery_counts (
    destination_id bigint  NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    day            date    NOT NULL,
    delivered      bigint  NOT NULL DEFAULT 0,
    retried        bigint  NOT NULL DEFAULT 0,
    failed         bigint  NOT NULL DEFAULT 0,
    dead           bigint  NOT NULL DEFAULT 0,
    expired        bigint  NOT NULL DEFAULT 0,
    skipped        bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (destination_id, day)
);
