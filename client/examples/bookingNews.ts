// Follows booking news in batches, filtered at the server: what an integrator or a dashboard
// would run. Needs an admin token (every booking) or a user's (their own):
//   SHELFWIRE_TOKEN=$(npm run -s token -- --sub ada --role admin) \
//     node_modules/.bin/node client/examples/bookingNews.ts
import { pipe, subscribe } from 'wonka';
import { createShelfwireClient, errorCode, graphql } from '../src/index.ts';

const BookingNews = graphql(`
  subscription BookingNews($after: String) {
    bookingChanges(
      after: $after
      filter: { events: [CONFIRMED, CANCELLED, RESCHEDULED, REFUNDED] }
      maxBatch: 50
      maxWaitMs: 2000
    ) {
      cursor
      changes {
        events
        version
        at
        booking {
          id
          userId
          book {
            title
          }
        }
      }
    }
  }
`);

const shelfwire = createShelfwireClient({
  url: process.env.SHELFWIRE_URL ?? 'http://localhost:4000/graphql',
  token: process.env.SHELFWIRE_TOKEN,
});
// The client resumes a dropped stream from the last batch's cursor on its own; keep that cursor
// (a file, a database) and pass it as `after` on the next start to miss nothing in between.
pipe(
  shelfwire.urql.subscription(BookingNews, { after: process.env.SHELFWIRE_AFTER }),
  subscribe(({ data, error }) => {
    if (error) return console.error(errorCode(error), error.message);
    for (const change of data?.bookingChanges.changes ?? []) {
      const what = change.booking ? `${change.booking.userId}: ${change.booking.book.title}` : '';
      console.log(change.at, change.events.join(' + '), what);
    }
    console.log(`cursor: ${data?.bookingChanges.cursor}`);
  }),
);
