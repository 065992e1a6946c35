// Prints the catalogue, then again each time the server reports a change; stop with Ctrl-C.
//   SHELFWIRE_URL=http://localhost:4000/graphql node client/examples/liveBooks.ts
import { pipe, subscribe } from 'wonka';
import { createShelfwireClient, errorCode, followChanges, graphql } from '../src/index.ts';

const LiveBooks = graphql(`
  query LiveBooks {
    books(first: 50) {
      nodes {
        ...BookFields
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const shelfwire = createShelfwireClient({
  url: process.env.SHELFWIRE_URL ?? 'http://localhost:4000/graphql',
  token: process.env.SHELFWIRE_TOKEN, // optional: npm run token -- --sub ada --role admin
  transport: 'ws', // or 'sse'
});
shelfwire.connection.subscribe((state) => console.log(`connection: ${state}`));

// The change feed keeps the cache current; every query on the client follows along.
followChanges(shelfwire.urql, {
  bookings: false,
  onError: (error) => console.error(errorCode(error), error.message),
});
pipe(
  shelfwire.urql.query(LiveBooks, {}),
  subscribe(({ data, error }) => {
    if (error) return console.error(errorCode(error), error.message);
    console.table(
      data?.books.nodes.map(({ title, available, copies }) => ({ title, available, copies })),
    );
  }),
);
