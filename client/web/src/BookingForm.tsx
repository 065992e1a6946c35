import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment } from '../../src/gql/graphql.ts';
import {
  type DateField,
  bookingRange,
  checkDates,
  defaultDates,
  describeRange,
  horizonDays,
} from './bookingDates.ts';
import { formProblem } from './describeError.ts';
import { FieldError } from './FieldError.tsx';

const BookCopy = graphql(`
  mutation BookCopy($input: CreateBookingInput!) {
    createBooking(input: $input) {
      ...BookingFields
    }
  }
`);

/** Books a copy of `book` for the days chosen; tells `onBooked` the range it got. */
export function BookingForm({
  book,
  onBooked,
  onCancel,
}: {
  book: BookFieldsFragment;
  onBooked: (range: string) => void;
  onCancel: () => void;
}) {
  const [dates, setDates] = useState(() => defaultDates(new Date()));
  const [problems, setProblems] = useState<Partial<Record<DateField | 'form', string>>>({});
  const [{ fetching }, bookCopy] = useMutation(BookCopy);
  const today = defaultDates(new Date()).start;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const now = new Date();
    const wrong = checkDates(dates.start, dates.end, now);
    setProblems(wrong);
    if (Object.keys(wrong).length > 0) return;
    const range = bookingRange(dates.start, dates.end, now);
    const result = await bookCopy({ input: { bookId: book.id, ...range } });
    if (result.error) {
      const problem = formProblem<DateField>(result.error, {
        'input.startsAt': 'startsAt',
        'input.endsAt': 'endsAt',
      });
      return setProblems({ [problem.field ?? 'form']: problem.message });
    }
    setProblems({});
    onBooked(describeRange(range.startsAt, range.endsAt));
  };

  const id = `booking-${book.id}`;
  return (
    <form className="booking-form" aria-label={`Book ${book.title}`} onSubmit={submit} noValidate>
      <label>
        First day
        <input
          type="date"
          value={dates.start}
          min={today}
          aria-invalid={Boolean(problems.startsAt)}
          aria-describedby={`${id}-startsAt`}
          onChange={(event) => setDates({ ...dates, start: event.target.value })}
        />
        <FieldError id={`${id}-startsAt`} message={problems.startsAt} />
      </label>
      <label>
        Last day
        <input
          type="date"
          value={dates.end}
          min={dates.start}
          aria-invalid={Boolean(problems.endsAt)}
          aria-describedby={`${id}-endsAt`}
          onChange={(event) => setDates({ ...dates, end: event.target.value })}
        />
        <FieldError id={`${id}-endsAt`} message={problems.endsAt} />
      </label>
      <div>
        <button type="submit" disabled={fetching}>
          {fetching ? 'Booking…' : 'Book'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <small>Up to {horizonDays} days ahead.</small>
      {problems.form && <p role="alert">{problems.form}</p>}
    </form>
  );
}
