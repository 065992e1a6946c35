// The queries the client tests watch: the same shapes the web page shows.
import { graphql } from '../src/gql/index.ts';

export const CachedBooks = graphql(`
  query CachedBooks($first: Int, $search: String) {
    books(first: $first, search: $search) {
      nodes {
        ...BookFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The same list read through `edges`, as Relay-style clients do. */
export const CachedBookEdges = graphql(`
  query CachedBookEdges($first: Int, $search: String) {
    books(first: $first, search: $search) {
      edges {
        cursor
        node {
          ...BookFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CachedBook = graphql(`
  query CachedBook($id: ID!) {
    book(id: $id) {
      ...BookFields
    }
  }
`);

export const CachedBookings = graphql(`
  query CachedBookings($first: Int, $status: BookingStatus) {
    bookings(first: $first, status: $status) {
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

export const CreateBookAsClient = graphql(`
  mutation CreateBookAsClient($input: CreateBookInput!) {
    createBook(input: $input) {
      ...BookFields
    }
  }
`);
