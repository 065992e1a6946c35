import { graphql } from './gql/index.ts';

// Queries and change subscriptions select the same fields, so an entity a change brings in is
// complete for every query that shows it: nothing is left to refetch.

export const BookFields = graphql(`
  fragment BookFields on Book {
    id
    title
    author
    description
    isbn
    copies
    available
    version
    createdAt
    updatedAt
  }
`);

export const BookingFields = graphql(`
  fragment BookingFields on Booking {
    id
    userId
    status
    paymentStatus
    startsAt
    endsAt
    version
    createdAt
    updatedAt
    book {
      id
      title
      author
      available
    }
  }
`);
