-- Up Migration

-- A booking moved to another book (possible with plain SQL) changes the availability of both
-- books, so both are announced.
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
  PERFORM announce_change();
  RETURN NULL;
END;
$$;
