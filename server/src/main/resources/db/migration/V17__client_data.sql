-- The client's IP address and User-Agent, sealed (AES-256-GCM with the destinations' key), for a destination whose
-- admin turned on send_client_data (Meta's client_ip_address and client_user_agent, ...). Only the outbox holds
-- them, and only while the delivery is pending: the row is deleted when the event is dispatched, and a delivery that
-- ends (delivered, dead, expired, skipped) drops its copy. analytics_events never has the raw address.
-- In step with outbox_events.event_ids (NULL elements for events without); NULL when no event of the row has any.
ALTER TABLE outbox_events ADD COLUMN client_data bytea[];
ALTER TABLE destination_deliveries ADD COLUMN client_data bytea;
