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
  '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    createdAt\n    updatedAt\n  }\n': typeof types.BookFieldsFragmentDoc;
  '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n': typeof types.BookingFieldsFragmentDoc;
  '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n': typeof types.BookChangesDocument;
  '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n': typeof types.BookingChangesDocument;
  '\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CachedBooksDocument;
  '\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n': typeof types.CachedBookDocument;
  '\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n': typeof types.CachedBookingsDocument;
  '\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n': typeof types.CreateBookAsClientDocument;
};
const documents: Documents = {
  '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    createdAt\n    updatedAt\n  }\n':
    types.BookFieldsFragmentDoc,
  '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n':
    types.BookingFieldsFragmentDoc,
  '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n':
    types.BookChangesDocument,
  '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n':
    types.BookingChangesDocument,
  '\n  query CachedBooks($first: Int, $search: String) {\n    books(first: $first, search: $search) {\n      nodes {\n        ...BookFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CachedBooksDocument,
  '\n  query CachedBook($id: ID!) {\n    book(id: $id) {\n      ...BookFields\n    }\n  }\n':
    types.CachedBookDocument,
  '\n  query CachedBookings($first: Int, $status: BookingStatus) {\n    bookings(first: $first, status: $status) {\n      nodes {\n        ...BookingFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n':
    types.CachedBookingsDocument,
  '\n  mutation CreateBookAsClient($input: CreateBookInput!) {\n    createBook(input: $input) {\n      ...BookFields\n    }\n  }\n':
    types.CreateBookAsClientDocument,
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
  source: '\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    createdAt\n    updatedAt\n  }\n',
): (typeof documents)['\n  fragment BookFields on Book {\n    id\n    title\n    author\n    description\n    isbn\n    copies\n    available\n    createdAt\n    updatedAt\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n',
): (typeof documents)['\n  fragment BookingFields on Booking {\n    id\n    userId\n    status\n    paymentStatus\n    startsAt\n    endsAt\n    createdAt\n    updatedAt\n    book {\n      id\n      title\n      author\n      available\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription BookChanges($after: String) {\n    bookChanged(after: $after) {\n      cursor\n      kind\n      bookId\n      book {\n        ...BookFields\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription BookingChanges($after: String) {\n    bookingChanged(after: $after) {\n      cursor\n      kind\n      bookingId\n      booking {\n        ...BookingFields\n      }\n    }\n  }\n'];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
