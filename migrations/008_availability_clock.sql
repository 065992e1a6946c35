-- Up Migration

-- Availability follows the clock. `Book.available` counts the bookings that hold a copy right now
-- (holds_copy_now, migration 006), so it moves when an active booking's start or end passes,
-- with no write to say so. Every instance runs server/realtime/availabilityClock.ts, which calls
-- advance_availability_clock() below every AVAILABILITY_CLOCK_MS; one call at a time (across
-- instances) logs a book change for the boundaries passed since the previous one.
--
-- Each boundary is announced exactly once, by one of two parties:
--  * a boundary of a booking as it was written (after its updated_at, which every write of the
--    API sets to the writing transaction's now()) is the clock's, if the booking is not written
--    again before the clock passes it;
--  * a write announces what it changes as of its own now(), and also any boundary of the
--    booking's old version that passed unannounced (record_booking_change below): it compares
--    the old version as subscribers were last told about it with the new version now.
-- A booking written with its start already past is thus announced by its write only: that
-- start lies before its updated_at, so the clock leaves it alone.

-- The moment up to which passed boundaries have been announced. One row, created now: history
-- before this migration is not replayed; boundaries passed while no instance ran are announced
-- at the next start, in order.
CREATE TABLE availability_clock (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  passed_up_to timestamptz NOT NULL
);
INSERT INTO availability_clock (passed_up_to) VALUES (now());

-- The clock reads the active bookings whose start or end lies in a window of time.
CREATE INDEX bookings_active_by_start ON bookings (starts_at)
  WHERE status IN ('PENDING', 'CONFIRMED');
CREATE INDEX bookings_active_by_end ON bookings (ends_at)
  WHERE status IN ('PENDING', 'CONFIRMED');

-- Whether a booking holds a copy at `moment`; holds_copy_now (what `Book.available` counts) is
-- this at now(), so the two can never disagree.
CREATE FUNCTION holds_copy_at(booking bookings, moment timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT booking.status IN ('PENDING', 'CONFIRMED')
     AND booking.starts_at <= moment AND booking.ends_at > moment;
$$;
CREATE OR REPLACE FUNCTION holds_copy_now(booking bookings) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT holds_copy_at(booking, now());
$$;

-- Announces the boundaries passed since the clock last moved: one availability change per book
-- whose bookings' holding moved, in the order of their first boundary. Returns no row when
-- another caller holds the clock (it is doing this work), else the moment now passed, the books
-- changed, and whether boundaries beyond `max_boundaries` wait for the next call.
--
-- The clock moves at most to the start of the oldest other transaction of this database still
-- running: such a transaction decides what its writes announce as of its own now(), and the
-- clock must not pass a boundary of a booking version that is not committed yet. A transaction
-- left open holds the clock back, as it holds delivery back. (A role that may not see other
-- roles' sessions sees no xact_start for them: run writers and the server as one role.)
CREATE FUNCTION advance_availability_clock(max_boundaries integer)
RETURNS TABLE (reached timestamptz, changed_books integer, more_waiting boolean)
LANGUAGE plpgsql AS $$
DECLARE
  passed timestamptz;
  horizon timestamptz;
  upto timestamptz;
  changed record;
  changed_count integer := 0;
BEGIN
  -- SKIP LOCKED: another instance's call, or a write reading the clock (below), holds it.
  SELECT c.passed_up_to INTO passed FROM availability_clock c FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT least(now(), min(a.xact_start)) INTO horizon FROM pg_stat_activity a
  WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
    AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL;
  IF horizon <= passed THEN
    RETURN QUERY SELECT passed, 0, false;
    RETURN;
  END IF;
  -- Bounded work: with more than max_boundaries ahead, stop at the last one within the budget
  -- (with every other boundary at that same moment).
  SELECT b.at INTO upto FROM (
    SELECT k.starts_at AS at FROM bookings k
    WHERE k.status IN ('PENDING', 'CONFIRMED')
      AND k.starts_at > passed AND k.starts_at <= horizon AND k.starts_at > k.updated_at
    UNION ALL
    SELECT k.ends_at FROM bookings k
    WHERE k.status IN ('PENDING', 'CONFIRMED')
      AND k.ends_at > passed AND k.ends_at <= horizon AND k.ends_at > k.updated_at
  ) b
  ORDER BY b.at OFFSET max_boundaries - 1 LIMIT 1;
  IF upto IS NULL THEN upto := horizon; END IF;
  -- One change per book: its `available` is read when the change is delivered, so one change
  -- covers all of the book's boundaries up to here. A booking whose start and end both passed
  -- unannounced holds no copy before or after, and moves nothing.
  FOR changed IN
    SELECT k.book_id,
           min(CASE WHEN k.starts_at > greatest(passed, k.updated_at) THEN k.starts_at
                    ELSE k.ends_at END) AS first_boundary
    FROM bookings k
    WHERE k.status IN ('PENDING', 'CONFIRMED')
      AND ((k.starts_at > passed AND k.starts_at <= upto AND k.starts_at > k.updated_at)
        OR (k.ends_at > passed AND k.ends_at <= upto AND k.ends_at > k.updated_at))
      AND holds_copy_at(k, greatest(passed, k.updated_at)) <> holds_copy_at(k, upto)
    GROUP BY k.book_id
    ORDER BY first_boundary, k.book_id
  LOOP
    PERFORM log_availability_change(changed.book_id);
    changed_count := changed_count + 1;
  END LOOP;
  IF changed_count > 0 THEN PERFORM announce_change(); END IF;
  UPDATE availability_clock SET passed_up_to = upto;
  RETURN QUERY SELECT upto, changed_count, upto < horizon;
END;
$$;

-- As in migration 006, but a booking's old version counts as subscribers were last told about
-- it: as of its own write, or as of the moment the clock has passed, whichever is later. So a
-- write that follows an unannounced end (a cancel, a payment) announces it, and a write after an
-- unannounced start that gives the copy back announces nothing, since nothing moved.
CREATE OR REPLACE FUNCTION record_booking_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bookings%ROWTYPE;
  clock_passed timestamptz;
  held_before boolean := false;
  held_after boolean := TG_OP <> 'DELETE' AND holds_copy_now(NEW);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- A start or end passed since the old version was written: the clock may have announced it.
    -- KEY SHARE keeps the clock from moving until this transaction ends (it skips a locked
    -- clock), so the clock and this write never both announce a boundary, nor both leave it.
    -- It is taken before this row's changes are logged, so the clock, which logs book changes
    -- while it holds the clock, never waits on a write that waits on it.
    IF OLD.status IN ('PENDING', 'CONFIRMED')
       AND ((OLD.starts_at > OLD.updated_at AND OLD.starts_at <= now())
         OR (OLD.ends_at > OLD.updated_at AND OLD.ends_at <= now())) THEN
      SELECT c.passed_up_to INTO clock_passed FROM availability_clock c FOR KEY SHARE;
    END IF;
    held_before := holds_copy_at(OLD, greatest(OLD.updated_at, clock_passed));
  END IF;
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  PERFORM log_change('booking', changed.id, change_kind(TG_OP), p_owner_id => changed.user_id,
                     p_events => booking_events(TG_OP, OLD, NEW),
                     p_changed_fields => booking_changed_fields(TG_OP, OLD, NEW),
                     p_book_id => changed.book_id, p_status => changed.status);
  -- The book's availability moved only if the booking took or gave back a copy; a booking in
  -- the future changes it when it starts (advance_availability_clock).
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

DROP FUNCTION advance_availability_clock(integer);
CREATE OR REPLACE FUNCTION holds_copy_now(booking bookings) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT booking.status IN ('PENDING', 'CONFIRMED')
     AND booking.starts_at <= now() AND booking.ends_at > now();
$$;
DROP FUNCTION holds_copy_at(bookings, timestamptz);
DROP INDEX bookings_active_by_end;
DROP INDEX bookings_active_by_start;
DROP TABLE availability_clock;
