-- Up Migration

-- One row per Idempotency-Key a signed-in caller sent with a mutation (server/http/idempotency.ts):
-- first a claim, held by `claim` until `lease_until` while the mutation runs, then the answer it
-- got (status, content type and body, byte for byte), replayed to retries for 24 hours after
-- `created_at`. Times are the database's, so every instance reads the same clock.
CREATE TABLE idempotency_keys (
  owner_id text NOT NULL,
  key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 200),
  request_hash text NOT NULL,
  claim uuid NOT NULL,
  lease_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  status smallint,
  content_type text,
  body text,
  PRIMARY KEY (owner_id, key),
  CHECK ((status IS NULL) = (body IS NULL))
);

-- Expired keys are deleted by age.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Down Migration

DROP TABLE idempotency_keys;
