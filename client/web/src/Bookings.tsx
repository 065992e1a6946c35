import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookingFieldsFragment, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { describeError } from './describeError.ts';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

const VisibleBookings = graphql(`
  query VisibleBookings($first: Int) {
    bookings(first: $first) {
      nodes {
        ...BookingFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PayBooking = graphql(`
  mutation PayBooking($id: ID!) {
    payBooking(id: $id) {
      ...BookingFields
    }
  }
`);

const ConfirmBooking = graphql(`
  mutation ConfirmBooking($id: ID!) {
    confirmBooking(id: $id) {
      ...BookingFields
    }
  }
`);

const CancelBooking = graphql(`
  mutation CancelBooking($id: ID!) {
    cancelBooking(id: $id) {
      ...BookingFields
    }
  }
`);

const day = (iso: string) => new Date(iso).toLocaleDateString();

/** The viewer's bookings (every booking for an admin), status and payment changing live. */
export function Bookings({ viewer }: { viewer: Viewer }) {
  const [{ data, error }] = useQuery({ query: VisibleBookings, variables: { first: 100 } });
  const [, pay] = useMutation(PayBooking);
  const [, confirm] = useMutation(ConfirmBooking);
  const [, cancel] = useMutation(CancelBooking);
  const [problem, setProblem] = useState<string>();
  const isAdmin = viewer.role === 'admin';

  const act = async (
    action: (variables: { id: string }) => Promise<{ error?: CombinedError }>,
    booking: BookingFieldsFragment,
  ) => {
    const result = await action({ id: booking.id });
    setProblem(result.error && describeError(result.error));
  };

  return (
    <section aria-labelledby="bookings-title">
      <h2 id="bookings-title">{isAdmin ? 'All bookings' : 'My bookings'}</h2>
      {problem && <p role="alert">{problem}</p>}
      {error && <p role="alert">{describeError(error)}</p>}
      <ul className="bookings" aria-label="Bookings">
        {data?.bookings.nodes.map((booking) => {
          const active = booking.status !== 'CANCELLED';
          const mine = booking.userId === viewer.userId;
          return (
            <li key={booking.id} aria-label={`${booking.book.title} for ${booking.userId}`}>
              <div>
                <strong>{booking.book.title}</strong>
                {isAdmin && <span> · {booking.userId}</span>}
                <small>
                  {' '}
                  {day(booking.startsAt)} – {day(booking.endsAt)}
                </small>
              </div>
              <span className="status" data-status={booking.status}>
                {booking.status}
              </span>
              <span className="payment" data-payment={booking.paymentStatus}>
                {booking.paymentStatus}
              </span>
              <span className="actions">
                {mine && active && booking.paymentStatus === 'UNPAID' && (
                  <button type="button" onClick={() => void act(pay, booking)}>
                    Pay
                  </button>
                )}
                {isAdmin && booking.status === 'PENDING' && (
                  <button type="button" onClick={() => void act(confirm, booking)}>
                    Confirm
                  </button>
                )}
                {active && (
                  <button type="button" onClick={() => void act(cancel, booking)}>
                    Cancel
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {data?.bookings.nodes.length === 0 && <p>No bookings yet.</p>}
    </section>
  );
}
