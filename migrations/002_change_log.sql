-- Up Migration

-- Every committed change to books and bookings, in the order subscribers receive them.
-- A sequence number alone is not a commit order: a transaction can take seq 10, another seq 11
-- and commit first. Rows are therefore ordered by (tx, seq) and read only once every transaction
-- with a smaller tx has ended (tx < xmin of the reader's snapshot), so no row can ever appear
-- behind a position a reader has already passed.
CREATE TABLE change_log (
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  entity text NOT NULL CHECK (entity IN ('book', 'booking')),
  entity_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('CREATED', 'UPDATED', 'DELETED')),
  -- The booking's owner, so a user's subscription is filtered without reading the booking.
  owner_id text,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tx, seq)
);
CREATE INDEX change_log_at ON change_log (at);

-- The newest position removed by retention: a cursor before it can no longer be replayed.
CREATE TABLE change_log_horizon (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  tx xid8 NOT NULL,
  seq bigint NOT NULL
);
INSERT INTO change_log_horizon (tx, seq) VALUES ('0', 0);

-- One notification per transaction: Postgres folds identical payloads sent by one transaction,
-- and delivers them only at commit. The payload stays empty: listeners read the log instead.
CREATE FUNCTION announce_change() RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('shelfwire_changes', '');
$$;

CREATE FUNCTION change_kind(op text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op WHEN 'INSERT' THEN 'CREATED' WHEN 'UPDATE' THEN 'UPDATED' ELSE 'DELETED' END;
$$;

CREATE FUNCTION record_book_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed books%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  INSERT INTO change_log (entity, entity_id, kind) VALUES ('book', changed.id, change_kind(TG_OP));
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

-- A booking change is also a change of its book's availability, so catalogue subscribers,
-- who may not see bookings, still learn that the book changed.
CREATE FUNCTION record_booking_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bookings%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  INSERT INTO change_log (entity, entity_id, kind, owner_id)
    VALUES ('booking', changed.id, change_kind(TG_OP), changed.user_id);
  IF TG_OP <> 'DELETE' OR EXISTS (SELECT 1 FROM books WHERE id = changed.book_id) THEN
    INSERT INTO change_log (entity, entity_id, kind) VALUES ('book', changed.book_id, 'UPDATED');
  END IF;
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

CREATE TRIGGER books_record_insert_delete AFTER INSERT OR DELETE ON books
  FOR EACH ROW EXECUTE FUNCTION record_book_change();
CREATE TRIGGER books_record_update AFTER UPDATE ON books
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION record_book_change();
CREATE TRIGGER bookings_record_insert_delete AFTER INSERT OR DELETE ON bookings
  FOR EACH ROW EXECUTE FUNCTION record_booking_change();
CREATE TRIGGER bookings_record_update AFTER UPDATE ON bookings
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION record_booking_change();

-- Down Migration
DROP TRIGGER bookings_record_update ON bookings;
DROP TRIGGER bookings_record_insert_delete ON bookings;
DROP TRIGGER books_record_update ON books;
DROP TRIGGER books_record_insert_delete ON books;
DROP FUNCTION record_booking_change();
DROP FUNCTION record_book_change();
DROP FUNCTION change_kind(text);
DROP FUNCTION announce_change();
DROP TABLE change_log_horizon;
DROP TABLE change_log;
