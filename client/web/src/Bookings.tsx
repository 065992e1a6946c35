import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookingFieldsFragment, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { describeError } from './describeError.ts';
import { ListFooter, usePages } from './pagedList.tsx';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

const VisibleBookings = graphql(`
  query VisibleBookings($first: Int, $after: String) {
    bookings(first: $first, after: $after) {
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

const pageSize = 20;
const day = (iso: string) => new Date(iso).toLocaleDateString();
/** The last day a booking holds: it ends at the midnight after it. */
const lastDay = (iso: string) => day(new Date(new Date(iso).getTime() - 1).toISOString());

type Action = (variables: { id: string }) => Promise<{ error?: CombinedError }>;

/** One booking; an action's error is shown with it and cleared when the next one succeeds. */
function BookingItem({ booking, viewer }: { booking: BookingFieldsFragment; viewer: Viewer }) {
  const [{ fetching: paying }, pay] = useMutation(PayBooking);
  const [{ fetching: confirming }, confirm] = useMutation(ConfirmBooking);
  const [{ fetching: cancelling }, cancel] = useMutation(CancelBooking);
  const [problem, setProblem] = useState<string>();
  const busy = paying || confirming || cancelling;
  const isAdmin = viewer.role === 'admin';
  const active = booking.status !== 'CANCELLED';
  const mine = booking.userId === viewer.userId;

  const act = async (action: Action) => {
    const result = await action({ id: booking.id });
    setProblem(result.error && describeError(result.error));
  };

  return (
    <li aria-label={`${booking.book.title} for ${booking.userId}`}>
      <div>
        <strong>{booking.book.title}</strong>
        {isAdmin && <span> · {booking.userId}</span>}
        <small>
          {' '}
          {day(booking.startsAt)} – {lastDay(booking.endsAt)}
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
          <button type="button" disabled={busy} onClick={() => void act(pay)}>
            Pay
          </button>
        )}
        {isAdmin && booking.status === 'PENDING' && (
          <button type="button" disabled={busy} onClick={() => void act(confirm)}>
            Confirm
          </button>
        )}
        {active && (
          <button type="button" disabled={busy} onClick={() => void act(cancel)}>
            Cancel
          </button>
        )}
      </span>
      {problem && <p role="alert">{problem}</p>}
    </li>
  );
}

function BookingPage({ after, viewer }: { after: string | null; viewer: Viewer }) {
  const [{ data }] = useQuery({ query: VisibleBookings, variables: { first: pageSize, after } });
  return data?.bookings.nodes.map((booking) => (
    <BookingItem key={booking.id} booking={booking} viewer={viewer} />
  ));
}

/** The viewer's bookings (every booking for an admin), a page at a time, changing live. */
export function Bookings({ viewer }: { viewer: Viewer }) {
  const pages = usePages(viewer.userId);
  const [first] = useQuery({ query: VisibleBookings, variables: { first: pageSize, after: null } });
  const [last] = useQuery({
    query: VisibleBookings,
    variables: { first: pageSize, after: pages.last },
  });
  const isAdmin = viewer.role === 'admin';

  return (
    <section aria-labelledby="bookings-title">
      <h2 id="bookings-title">{isAdmin ? 'All bookings' : 'My bookings'}</h2>
      <ul className="bookings" aria-label="Bookings" aria-busy={last.fetching}>
        {pages.cursors.map((after) => (
          <BookingPage key={after ?? 'first'} after={after} viewer={viewer} />
        ))}
      </ul>
      <ListFooter
        last={{
          fetching: last.fetching,
          error: last.error,
          pageInfo: last.data?.bookings.pageInfo,
        }}
        empty={pages.cursors.length === 1 && first.data?.bookings.nodes.length === 0}
        onMore={pages.loadAfter}
        emptyText={
          isAdmin ? 'No bookings yet.' : 'No bookings yet: “Book a copy” in the catalogue.'
        }
        endText="That is every booking."
      />
    </section>
  );
}
