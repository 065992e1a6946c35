/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  '\n  subscription BookingNews($after: String) {\n    bookingChanges(\n      after: $after\n      filter: { events: [CONFIRMED, CANCELLED, RESCHEDULED, REFUNDED] }\n      maxBatch: 50\n      maxWaitMs: 2000\n    ) {\n      cursor\n      changes {\n        events\n        version\n        at\n        booking {\n          id\n          userId\n          book {\n            title\n          }\n        }\n      }\n    }\n  }\n': typeof types.BookingNewsDocument;
  '\n  query LiveBooks {\n    books(first: 50) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n': typeof types.LiveBooksDocument;
  '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    version\n    createdAt\n    updatedAt\n  }\n': typeof types.BookFieldsFragmentDoc;
  '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    version\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n': typeof types.BookingFieldsFragmentDoc;
  '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      changedFields\n      version\n      at\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n': typeof types.BookChangesDocument;
  '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      events\n      changedFields\n      version\n      at\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n': typeof types.BookingChangesDocument;
  '\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CachedBooksDocument;
  '\n  query CachedBookEdges($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      edges {\n        cursor\n        node {\n          ...BookFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CachedBookEdgesDocument;
  '\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n': typeof types.CachedBookDocument;
  '\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CachedBookingsDocument;
  '\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n': typeof types.CreateBookAsClientDocument;
  '\n  query CurrentViewer {\n    viewer {\n      userId\n      role\n    }\n  }\n': typeof types.CurrentViewerDocument;
  '\n  mutation CreateBook($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n': typeof types.CreateBookDocument;
  '\n  mutation UpdateBook($id: ID!, $input: UpdateBookInput!) {\n    updateBook(id: $id, input: $input) {\n      ...BookFields\n    }\n  }\n': typeof types.UpdateBookDocument;
  '\n  mutation DeleteBook($id: ID!) {\n    deleteBook(id: $id)\n  }\n': typeof types.DeleteBookDocument;
  '\n  mutation BookCopy($input: CreateBookingInput!) {\n    createBooking(input: $input) {\n      ...BookingFields\n    }\n  }\n': typeof types.BookCopyDocument;
  '\n  query VisibleBookings($first: Int, $after: String) {\n    bookings(first: $first, after: $after) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.VisibleBookingsDocument;
  '\n  mutation PayBooking($id: ID!) {\n    payBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n': typeof types.PayBookingDocument;
  '\n  mutation ConfirmBooking($id: ID!) {\n    confirmBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n': typeof types.ConfirmBookingDocument;
  '\n  mutation CancelBooking($id: ID!) {\n    cancelBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n': typeof types.CancelBookingDocument;
  '\n  query CatalogueBooks($first: Int, $after: String, $search: String) {\n    books(first: $first, after: $after, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CatalogueBooksDocument;
};
const documents: Documents = {
  '\n  subscription BookingNews($after: String) {\n    bookingChanges(\n      after: $after\n      filter: { events: [CONFIRMED, CANCELLED, RESCHEDULED, REFUNDED] }\n      maxBatch: 50\n      maxWaitMs: 2000\n    ) {\n      cursor\n      changes {\n        events\n        version\n        at\n        booking {\n          id\n          userId\n          book {\n            title\n          }\n        }\n      }\n    }\n  }\n':
    types.BookingNewsDocument,
  '\n  query LiveBooks {\n    books(first: 50) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n':
    types.LiveBooksDocument,
  '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    version\n    createdAt\n    updatedAt\n  }\n':
    types.BookFieldsFragmentDoc,
  '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    version\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n':
    types.BookingFieldsFragmentDoc,
  '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      changedFields\n      version\n      at\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n':
    types.BookChangesDocument,
  '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      events\n      changedFields\n      version\n      at\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n':
    types.BookingChangesDocument,
  '\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CachedBooksDocument,
  '\n  query CachedBookEdges($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      edges {\n        cursor\n        node {\n          ...BookFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CachedBookEdgesDocument,
  '\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n':
    types.CachedBookDocument,
  '\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CachedBookingsDocument,
  '\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n':
    types.CreateBookAsClientDocument,
  '\n  query CurrentViewer {\n    viewer {\n      userId\n      role\n    }\n  }\n':
    types.CurrentViewerDocument,
  '\n  mutation CreateBook($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n':
    types.CreateBookDocument,
  '\n  mutation UpdateBook($id: ID!, $input: UpdateBookInput!) {\n    updateBook(id: $id, input: $input) {\n      ...BookFields\n    }\n  }\n':
    types.UpdateBookDocument,
  '\n  mutation DeleteBook($id: ID!) {\n    deleteBook(id: $id)\n  }\n': types.DeleteBookDocument,
  '\n  mutation BookCopy($input: CreateBookingInput!) {\n    createBooking(input: $input) {\n      ...BookingFields\n    }\n  }\n':
    types.BookCopyDocument,
  '\n  query VisibleBookings($first: Int, $after: String) {\n    bookings(first: $first, after: $after) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.VisibleBookingsDocument,
  '\n  mutation PayBooking($id: ID!) {\n    payBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n':
    types.PayBookingDocument,
  '\n  mutation ConfirmBooking($id: ID!) {\n    confirmBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n':
    types.ConfirmBookingDocument,
  '\n  mutation CancelBooking($id: ID!) {\n    cancelBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n':
    types.CancelBookingDocument,
  '\n  query CatalogueBooks($first: Int, $after: String, $search: String) {\n    books(first: $first, after: $after, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CatalogueBooksDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BookingNews($after: String) {\n    bookingChanges(\n      after: $after\n      filter: { events: [CONFIRMED, CANCELLED, RESCHEDULED, REFUNDED] }\n      maxBatch: 50\n      maxWaitMs: 2000\n    ) {\n      cursor\n      changes {\n        events\n        version\n        at\n        booking {\n          id\n          userId\n          book {\n            title\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription BookingNews($after: String) {\n    bookingChanges(\n      after: $after\n      filter: { events: [CONFIRMED, CANCELLED, RESCHEDULED, REFUNDED] }\n      maxBatch: 50\n      maxWaitMs: 2000\n    ) {\n      cursor\n      changes {\n        events\n        version\n        at\n        booking {\n          id\n          userId\n          book {\n            title\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query LiveBooks {\n    books(first: 50) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n',
): (typeof documents)['\n  query LiveBooks {\n    books(first: 50) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    version\n    createdAt\n    updatedAt\n  }\n',
): (typeof documents)['\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    version\n    createdAt\n    updatedAt\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    version\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n',
): (typeof documents)['\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    version\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      changedFields\n      version\n      at\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      changedFields\n      version\n      at\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      events\n      changedFields\n      version\n      at\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      events\n      changedFields\n      version\n      at\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n',
): (typeof documents)['\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CachedBookEdges($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      edges {\n        cursor\n        node {\n          ...BookFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n',
): (typeof documents)['\n  query CachedBookEdges($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      edges {\n        cursor\n        node {\n          ...BookFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n',
): (typeof documents)['\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n',
): (typeof documents)['\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n',
): (typeof documents)['\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CurrentViewer {\n    viewer {\n      userId\n      role\n    }\n  }\n',
): (typeof documents)['\n  query CurrentViewer {\n    viewer {\n      userId\n      role\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateBook($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n',
): (typeof documents)['\n  mutation CreateBook($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation UpdateBook($id: ID!, $input: UpdateBookInput!) {\n    updateBook(id: $id, input: $input) {\n      ...BookFields\n    }\n  }\n',
): (typeof documents)['\n  mutation UpdateBook($id: ID!, $input: UpdateBookInput!) {\n    updateBook(id: $id, input: $input) {\n      ...BookFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation DeleteBook($id: ID!) {\n    deleteBook(id: $id)\n  }\n',
): (typeof documents)['\n  mutation DeleteBook($id: ID!) {\n    deleteBook(id: $id)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation BookCopy($input: CreateBookingInput!) {\n    createBooking(input: $input) {\n      ...BookingFields\n    }\n  }\n',
): (typeof documents)['\n  mutation BookCopy($input: CreateBookingInput!) {\n    createBooking(input: $input) {\n      ...BookingFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query VisibleBookings($first: Int, $after: String) {\n    bookings(first: $first, after: $after) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n',
): (typeof documents)['\n  query VisibleBookings($first: Int, $after: String) {\n    bookings(first: $first, after: $after) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation PayBooking($id: ID!) {\n    payBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n',
): (typeof documents)['\n  mutation PayBooking($id: ID!) {\n    payBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConfirmBooking($id: ID!) {\n    confirmBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n',
): (typeof documents)['\n  mutation ConfirmBooking($id: ID!) {\n    confirmBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CancelBooking($id: ID!) {\n    cancelBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n',
): (typeof documents)['\n  mutation CancelBooking($id: ID!) {\n    cancelBooking(id: $id) {\n      ...BookingFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CatalogueBooks($first: Int, $after: String, $search: String) {\n    books(first: $first, after: $after, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n',
): (typeof documents)['\n  query CatalogueBooks($first: Int, $after: String, $search: String) {\n    books(first: $first, after: $after, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n'];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
