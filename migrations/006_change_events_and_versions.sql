-- Up Migration

-- Every change now says what happened (booking events, changed fields), carries its entity's
-- version, and keeps the few facts that subscription filters match (a book's title and author, a
-- booking's book and status, as they were at the change), so a filter is decided from the log
-- row alone, live and on replay alike, without reading the entity.

-- The latest version of each entity and the log position (tx) of its latest change.
CREATE TABLE entity_versions (
  entity text NOT NULL,
  entity_id uuid NOT NULL,
  version bigint NOT NULL,
  last_tx xid8 NOT NULL,
  PRIMARY KEY (entity, entity_id)
);

ALTER TABLE change_log
  ADD COLUMN version bigint,
  ADD COLUMN events text[] NOT NULL DEFAULT '{}',
  ADD COLUMN changed_fields text[] NOT NULL DEFAULT '{}',
  ADD COLUMN book_id uuid,
  ADD COLUMN status text,
  ADD COLUMN title text,
  ADD COLUMN author text;

-- Changes written before this migration: versions counted in log order, facts from the rows as
-- they are now (the best that is known about them).
UPDATE change_log c SET version = counted.version
FROM (
  SELECT tx, seq, row_number() OVER (PARTITION BY entity, entity_id ORDER BY tx, seq) AS version
  FROM change_log
) counted
WHERE (c.tx, c.seq) = (counted.tx, counted.seq);
UPDATE change_log c SET title = b.title, author = b.author
FROM books b WHERE c.entity = 'book' AND b.id = c.entity_id;
UPDATE change_log c SET book_id = k.book_id, status = k.status
FROM bookings k WHERE c.entity = 'booking' AND k.id = c.entity_id;
INSERT INTO entity_versions (entity, entity_id, version, last_tx)
  SELECT entity, entity_id, max(version), max(tx) FROM change_log GROUP BY entity, entity_id;
ALTER TABLE change_log ALTER COLUMN version SET NOT NULL;

-- Appends a change with its entity's next version. The upsert locks the entity's version row
-- until commit, so versions are counted one writer at a time.
--
-- Log positions follow transaction ids, which are taken at a transaction's first write, not at
-- commit: a transaction that wrote elsewhere first and then writes version n+1 right after
-- another transaction committed version n holds the smaller id, and would sort (and be delivered)
-- before it. So a change takes the larger of its own transaction id and that of its entity's
-- previous change, and a later seq breaks the tie: one entity's changes sort in version order.
-- Readers still never skip a change: they take only changes with a tx below every transaction of
-- this database still running (change_log_settled_before, migration 005), and a change's tx is
-- never below its writer's own.
CREATE FUNCTION log_change(
  p_entity text, p_entity_id uuid, p_kind text,
  p_owner_id text DEFAULT NULL, p_events text[] DEFAULT '{}', p_changed_fields text[] DEFAULT '{}',
  p_book_id uuid DEFAULT NULL, p_status text DEFAULT NULL,
  p_title text DEFAULT NULL, p_author text DEFAULT NULL
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  next_version bigint;
  position_tx xid8;
BEGIN
  INSERT INTO entity_versions AS v (entity, entity_id, version, last_tx)
    VALUES (p_entity, p_entity_id, 1, pg_current_xact_id())
  ON CONFLICT (entity, entity_id) DO UPDATE
    SET version = v.version + 1, last_tx = greatest(v.last_tx, pg_current_xact_id())
  RETURNING version, last_tx INTO next_version, position_tx;
  INSERT INTO change_log (tx, entity, entity_id, kind, owner_id, version, events, changed_fields,
                          book_id, status, title, author)
    VALUES (position_tx, p_entity, p_entity_id, p_kind, p_owner_id, next_version, p_events,
            p_changed_fields, p_book_id, p_status, p_title, p_author);
END;
$$;

-- Whether a booking holds a copy right now: what `Book.available` counts (data/books.ts).
CREATE FUNCTION holds_copy_now(booking bookings) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT booking.status IN ('PENDING', 'CONFIRMED')
     AND booking.starts_at <= now() AND booking.ends_at > now();
$$;

CREATE FUNCTION available_copies(book_id uuid, copies integer) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT greatest(copies - (SELECT count(*) FROM bookings k
                            WHERE k.book_id = available_copies.book_id AND holds_copy_now(k)), 0)::int;
$$;

-- A book's availability moved without its row changing (a booking took or gave back a copy).
CREATE FUNCTION log_availability_change(p_book_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  book books%ROWTYPE;
BEGIN
  SELECT * INTO book FROM books WHERE id = p_book_id;
  -- Gone: the book is being deleted, and its own DELETED change says so.
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM log_change('book', book.id, 'UPDATED', p_changed_fields => ARRAY['available'],
                     p_title => book.title, p_author => book.author);
END;
$$;

CREATE OR REPLACE FUNCTION record_book_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed books%ROWTYPE;
  fields text[] := '{}';
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  IF TG_OP = 'INSERT' THEN
    fields := ARRAY['title', 'author', 'description', 'isbn', 'copies', 'available', 'createdAt',
                    'updatedAt'];
  ELSIF TG_OP = 'UPDATE' THEN
    fields := array_remove(ARRAY[
      CASE WHEN NEW.title IS DISTINCT FROM OLD.title THEN 'title' END,
      CASE WHEN NEW.author IS DISTINCT FROM OLD.author THEN 'author' END,
      CASE WHEN NEW.description IS DISTINCT FROM OLD.description THEN 'description' END,
      CASE WHEN NEW.isbn IS DISTINCT FROM OLD.isbn THEN 'isbn' END,
      CASE WHEN NEW.copies IS DISTINCT FROM OLD.copies THEN 'copies' END,
      CASE WHEN NEW.copies IS DISTINCT FROM OLD.copies
            AND available_copies(NEW.id, NEW.copies) <> available_copies(NEW.id, OLD.copies)
           THEN 'available' END,
      CASE WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'createdAt' END,
      CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updatedAt' END
    ], NULL);
  END IF;
  PERFORM log_change('book', changed.id, change_kind(TG_OP), p_changed_fields => fields,
                     p_title => changed.title, p_author => changed.author);
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

-- What happened to a booking, from the trigger's operation and its old and new row: a cancel
-- that refunds is both, in this order: CANCELLED, REFUNDED.
CREATE FUNCTION booking_events(op text, old_row bookings, new_row bookings) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op
    WHEN 'INSERT' THEN array_remove(ARRAY[
      'REQUESTED',
      CASE WHEN new_row.status <> 'PENDING' THEN new_row.status END,
      CASE WHEN new_row.payment_status <> 'UNPAID' THEN new_row.payment_status END
    ], NULL)
    WHEN 'UPDATE' THEN array_remove(ARRAY[
      CASE WHEN new_row.status IS DISTINCT FROM old_row.status
           THEN CASE new_row.status WHEN 'PENDING' THEN 'REQUESTED' ELSE new_row.status END END,
      CASE WHEN (new_row.book_id, new_row.starts_at, new_row.ends_at)
                IS DISTINCT FROM (old_row.book_id, old_row.starts_at, old_row.ends_at)
           THEN 'RESCHEDULED' END,
      CASE WHEN new_row.payment_status IS DISTINCT FROM old_row.payment_status
                AND new_row.payment_status <> 'UNPAID'
           THEN new_row.payment_status END
    ], NULL)
    ELSE ARRAY['DELETED']
  END;
$$;

-- The schema fields of a booking that a change moved: all when created, none when deleted.
CREATE FUNCTION booking_changed_fields(op text, old_row bookings, new_row bookings) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op
    WHEN 'INSERT' THEN ARRAY['book', 'userId', 'status', 'paymentStatus', 'startsAt', 'endsAt',
                             'createdAt', 'updatedAt']
    WHEN 'UPDATE' THEN array_remove(ARRAY[
      CASE WHEN new_row.book_id IS DISTINCT FROM old_row.book_id THEN 'book' END,
      CASE WHEN new_row.user_id IS DISTINCT FROM old_row.user_id THEN 'userId' END,
      CASE WHEN new_row.status IS DISTINCT FROM old_row.status THEN 'status' END,
      CASE WHEN new_row.payment_status IS DISTINCT FROM old_row.payment_status
           THEN 'paymentStatus' END,
      CASE WHEN new_row.starts_at IS DISTINCT FROM old_row.starts_at THEN 'startsAt' END,
      CASE WHEN new_row.ends_at IS DISTINCT FROM old_row.ends_at THEN 'endsAt' END,
      CASE WHEN new_row.created_at IS DISTINCT FROM old_row.created_at THEN 'createdAt' END,
      CASE WHEN new_row.updated_at IS DISTINCT FROM old_row.updated_at THEN 'updatedAt' END
    ], NULL)
    ELSE '{}'::text[]
  END;
$$;

CREATE OR REPLACE FUNCTION record_booking_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bookings%ROWTYPE;
  held_before boolean := TG_OP <> 'INSERT' AND holds_copy_now(OLD);
  held_after boolean := TG_OP <> 'DELETE' AND holds_copy_now(NEW);
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  PERFORM log_change('booking', changed.id, change_kind(TG_OP), p_owner_id => changed.user_id,
                     p_events => booking_events(TG_OP, OLD, NEW),
                     p_changed_fields => booking_changed_fields(TG_OP, OLD, NEW),
                     p_book_id => changed.book_id, p_status => changed.status);
  -- The book's availability moved only if the booking took or gave back a copy right now; a
  -- booking in the future changes it when it starts (realtime/availabilityClock.ts).
  IF held_before AND NOT (held_after AND NEW.book_id = OLD.book_id) THEN
    PERFORM log_availability_change(OLD.book_id);
  END IF;
  IF held_after AND NOT (held_before AND NEW.book_id = OLD.book_id) THEN
    PERFORM log_availability_change(NEW.book_id);
  END IF;
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

-- Down Migration

CREATE OR REPLACE FUNCTION record_booking_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bookings%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  INSERT INTO change_log (entity, entity_id, kind, owner_id)
    VALUES ('booking', changed.id, change_kind(TG_OP), changed.user_id);
  IF TG_OP <> 'DELETE' OR EXISTS (SELECT 1 FROM books WHERE id = changed.book_id) THEN
    INSERT INTO change_log (entity, entity_id, kind) VALUES ('book', changed.book_id, 'UPDATED');
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.book_id <> NEW.book_id THEN
    INSERT INTO change_log (entity, entity_id, kind) VALUES ('book', OLD.book_id, 'UPDATED');
  END IF;
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION record_book_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed books%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  INSERT INTO change_log (entity, entity_id, kind) VALUES ('book', changed.id, change_kind(TG_OP));
  PERFORM announce_change();
  RETURN NULL;
END;
$$;

DROP FUNCTION booking_changed_fields(text, bookings, bookings);
DROP FUNCTION booking_events(text, bookings, bookings);
DROP FUNCTION log_availability_change(uuid);
DROP FUNCTION available_copies(uuid, integer);
DROP FUNCTION holds_copy_now(bookings);
DROP FUNCTION log_change(text, uuid, text, text, text[], text[], uuid, text, text, text);
ALTER TABLE change_log
  DROP COLUMN version, DROP COLUMN events, DROP COLUMN changed_fields, DROP COLUMN book_id,
  DROP COLUMN status, DROP COLUMN title, DROP COLUMN author;
DROP TABLE entity_versions;
