-- Up Migration
CREATE TABLE books (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
  author text NOT NULL CHECK (char_length(author) BETWEEN 1 AND 200),
  description text CHECK (char_length(description) <= 20000),
  isbn text UNIQUE,
  copies integer NOT NULL CHECK (copies BETWEEN 0 AND 10000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Keyset pagination walks books in creation order.
CREATE INDEX books_created_at_id ON books (created_at, id);

CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  book_id uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
  payment_status text NOT NULL DEFAULT 'UNPAID' CHECK (payment_status IN ('UNPAID', 'PAID', 'REFUNDED')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (ends_at - starts_at <= interval '90 days')
);

-- Availability checks only look at active bookings of one book.
CREATE INDEX bookings_active_by_book ON bookings (book_id, starts_at, ends_at)
  WHERE status IN ('PENDING', 'CONFIRMED');
CREATE INDEX bookings_by_user ON bookings (user_id, created_at, id);
CREATE INDEX bookings_by_created ON bookings (created_at, id);

-- Down Migration
DROP TABLE bookings;
DROP TABLE books;
