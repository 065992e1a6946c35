import type {
  cacheExchange,
  Resolver as GraphCacheResolver,
  UpdateResolver as GraphCacheUpdateResolver,
  OptimisticMutationResolver as GraphCacheOptimisticMutationResolver,
} from '@urql/exchange-graphcache';

export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string };
  String: { input: string; output: string };
  Boolean: { input: boolean; output: boolean };
  Int: { input: number; output: number };
  Float: { input: number; output: number };
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string };
};

/** A title in the catalogue, with the number of copies that can be lent. */
export type Book = Node & {
  __typename?: 'Book';
  author: Scalars['String']['output'];
  /** Copies not held by an active (pending or confirmed) booking right now. */
  available: Scalars['Int']['output'];
  copies: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** ISBN-13, hyphens removed. */
  isbn?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Counts its changes, from 1: a change (`BookChange.version`) with a smaller version is older than what this object shows. */
  version: Scalars['Int']['output'];
};

/** A book was created, updated (its availability included) or deleted. */
export type BookChange = {
  __typename?: 'BookChange';
  /** When the change was written. */
  at: Scalars['DateTime']['output'];
  /** The book as it is now; null once deleted. */
  book?: Maybe<Book>;
  bookId: Scalars['ID']['output'];
  /** The names of the fields whose value this change moved: every field when created, none when deleted. `available` is among them when a booking took or gave back a copy, or a booking's start or end passed. */
  changedFields: Array<Scalars['String']['output']>;
  /** Pass as `after` to resume right after this change, on any server instance. */
  cursor: Scalars['String']['output'];
  kind: ChangeKind;
  /** The entity's version after this change, counting from 1: one entity's changes always arrive in version order, so a change older than the version a client holds is stale. */
  version: Scalars['Int']['output'];
};

/** Changes delivered together, oldest first. */
export type BookChangeBatch = {
  __typename?: 'BookChangeBatch';
  changes: Array<BookChange>;
  /** The last change's cursor: pass as `after` to resume right after the batch. */
  cursor: Scalars['String']['output'];
};

/** Only the changes that match every field given; a list matches any of its values. Decided at the server from the entity as it was at the change, live and on replay alike, and always within what the viewer may see. */
export type BookChangeFilter = {
  /** Written by one of these authors, spelled exactly. */
  authors?: InputMaybe<Array<Scalars['String']['input']>>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  kinds?: InputMaybe<Array<ChangeKind>>;
  /** The title or the author contains this text, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** One copy of a book reserved by a user for a time range. */
export type Booking = Node & {
  __typename?: 'Booking';
  book: Book;
  createdAt: Scalars['DateTime']['output'];
  endsAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  paymentStatus: PaymentStatus;
  startsAt: Scalars['DateTime']['output'];
  status: BookingStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** The owner: `sub` of their token. */
  userId: Scalars['String']['output'];
  /** Counts its changes, from 1: a change (`BookChange.version`) with a smaller version is older than what this object shows. */
  version: Scalars['Int']['output'];
};

/** A booking was created, or changed status, payment or dates, or was deleted. */
export type BookingChange = {
  __typename?: 'BookingChange';
  /** When the change was written. */
  at: Scalars['DateTime']['output'];
  /** The booking as it is now; null once deleted. */
  booking?: Maybe<Booking>;
  bookingId: Scalars['ID']['output'];
  /** The names of the fields whose value this change moved: every field when created, none when deleted. */
  changedFields: Array<Scalars['String']['output']>;
  /** Pass as `after` to resume right after this change, on any server instance. */
  cursor: Scalars['String']['output'];
  /** What happened, in the order it happened: a cancel that refunds a paid booking is `[CANCELLED, REFUNDED]`; empty when only other fields changed. On replay, each change keeps its own events, while `booking` is the booking as it is now. */
  events: Array<BookingEvent>;
  kind: ChangeKind;
  /** The entity's version after this change, counting from 1: one entity's changes always arrive in version order, so a change older than the version a client holds is stale. */
  version: Scalars['Int']['output'];
};

/** Changes delivered together, oldest first. */
export type BookingChangeBatch = {
  __typename?: 'BookingChangeBatch';
  changes: Array<BookingChange>;
  /** The last change's cursor: pass as `after` to resume right after the batch. */
  cursor: Scalars['String']['output'];
};

/** Only the changes that match every field given; a list matches any of its values. Decided at the server from the entity as it was at the change, live and on replay alike, and always within what the viewer may see. */
export type BookingChangeFilter = {
  /** Bookings of one of these books. */
  bookIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The change was one of these events (any of them, for a change of several). */
  events?: InputMaybe<Array<BookingEvent>>;
  /** The booking had one of these statuses after the change. */
  statuses?: InputMaybe<Array<BookingStatus>>;
};

/** What happened to a booking, recorded by the database as it happened. */
export type BookingEvent =
  'CANCELLED' | 'CONFIRMED' | 'DELETED' | 'PAID' | 'REFUNDED' | 'REQUESTED' | 'RESCHEDULED';

export type BookingStatus = 'CANCELLED' | 'CONFIRMED' | 'PENDING';

export type ChangeKind = 'CREATED' | 'DELETED' | 'UPDATED';

export type CreateBookInput = {
  author: Scalars['String']['input'];
  copies: Scalars['Int']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  /** ISBN-10 or ISBN-13; stored as ISBN-13. */
  isbn?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type CreateBookingInput = {
  bookId: Scalars['ID']['input'];
  endsAt: Scalars['DateTime']['input'];
  startsAt: Scalars['DateTime']['input'];
};

/** The `extensions.code` of every error a client can get. */
export type ErrorCode =
  /** The HTTP request itself is malformed (a body without a length, a bad stream request). */
  | 'BAD_REQUEST'
  /** Invalid input; `extensions.field` names the field at fault when there is one. */
  | 'BAD_USER_INPUT'
  /** Deleting a book that is still booked. */
  | 'BOOK_HAS_ACTIVE_BOOKINGS'
  /** A POST a browser could send cross-site without a preflight (HTTP 403). */
  | 'CSRF_REFUSED'
  /** Resuming from a change older than the retention period: refetch instead. */
  | 'CURSOR_EXPIRED'
  /** Signed in, but not allowed: not an admin, or another user's booking or stream. */
  | 'FORBIDDEN'
  /** The document does not parse, or has more tokens than allowed. */
  | 'GRAPHQL_PARSE_FAILED'
  /** The document asks for something the schema does not have. */
  | 'GRAPHQL_VALIDATION_FAILED'
  /** A request with the same Idempotency-Key is still running: retry after `extensions.retryAfterSeconds`. */
  | 'IDEMPOTENCY_CONFLICT'
  /** A fault of the server: logged in full there, masked for the client. */
  | 'INTERNAL_SERVER_ERROR'
  /** An introspection query while introspection is off (the production default). */
  | 'INTROSPECTION_DISABLED'
  /** The booking's state does not allow that action. */
  | 'INVALID_TRANSITION'
  /** A count cap was reached (`extensions.limit`): operations, streams, bookings. */
  | 'LIMIT_EXCEEDED'
  /** A mutation names a book or booking that does not exist (queries answer null). */
  | 'NOT_FOUND'
  /** No copy of the book is free for the whole booking range. */
  | 'NO_COPY_AVAILABLE'
  /** An HTTP body over the size limit (HTTP 413). */
  | 'PAYLOAD_TOO_LARGE'
  /** Too deep, too many aliases or directives, or over the cost limit. */
  | 'QUERY_TOO_COMPLEX'
  /** Too many mutations or new subscriptions a minute: retry after `extensions.retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** No database connection free in time, the database restarting, or the JWKS unreachable: retry shortly. */
  | 'SERVICE_UNAVAILABLE'
  /** A subscriber fell too far behind and was ended: resume with its last cursor. */
  | 'SLOW_CONSUMER'
  /** The request or one of its statements ran past its deadline, or waited too long on a lock. */
  | 'TIMEOUT'
  /** No token where one is needed, or a malformed, forged or expired one (HTTP 401). */
  | 'UNAUTHENTICATED';

export type Mutation = {
  __typename?: 'Mutation';
  /** PENDING or CONFIRMED → CANCELLED (owner or admin); a PAID booking is REFUNDED. */
  cancelBooking: Booking;
  /** PENDING → CONFIRMED (admin). */
  confirmBooking: Booking;
  createBook: Book;
  /** Books one copy for the viewer; NO_COPY_AVAILABLE when none is free for the whole range. */
  createBooking: Booking;
  /** Deletes a book with no active booking; returns its ID. */
  deleteBook: Scalars['ID']['output'];
  /** UNPAID → PAID (owner), not once cancelled. */
  payBooking: Booking;
  updateBook: Book;
  /** Moves an active booking to new dates (owner or admin), re-checking availability. */
  updateBooking: Booking;
};

export type MutationCancelBookingArgs = {
  id: Scalars['ID']['input'];
};

export type MutationConfirmBookingArgs = {
  id: Scalars['ID']['input'];
};

export type MutationCreateBookArgs = {
  input: CreateBookInput;
};

export type MutationCreateBookingArgs = {
  input: CreateBookingInput;
};

export type MutationDeleteBookArgs = {
  id: Scalars['ID']['input'];
};

export type MutationPayBookingArgs = {
  id: Scalars['ID']['input'];
};

export type MutationUpdateBookArgs = {
  id: Scalars['ID']['input'];
  input: UpdateBookInput;
};

export type MutationUpdateBookingArgs = {
  id: Scalars['ID']['input'];
  input: UpdateBookingInput;
};

export type Node = {
  id: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PaymentStatus = 'PAID' | 'REFUNDED' | 'UNPAID';

export type Query = {
  __typename?: 'Query';
  book?: Maybe<Book>;
  booking?: Maybe<Booking>;
  /** The viewer's own bookings, or every booking for an admin, oldest first. */
  bookings: QueryBookingsConnection;
  /** The catalogue in the order books were added; `search` matches title or author. */
  books: QueryBooksConnection;
  node?: Maybe<Node>;
  nodes: Array<Maybe<Node>>;
  /** The signed-in user; null for anonymous requests. */
  viewer?: Maybe<Viewer>;
};

export type QueryBookArgs = {
  id: Scalars['ID']['input'];
};

export type QueryBookingArgs = {
  id: Scalars['ID']['input'];
};

export type QueryBookingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<BookingStatus>;
};

export type QueryBooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};

export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};

export type QueryBookingsConnection = {
  __typename?: 'QueryBookingsConnection';
  edges: Array<QueryBookingsConnectionEdge>;
  nodes: Array<Booking>;
  pageInfo: PageInfo;
};

export type QueryBookingsConnectionEdge = {
  __typename?: 'QueryBookingsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Booking;
};

export type QueryBooksConnection = {
  __typename?: 'QueryBooksConnection';
  edges: Array<QueryBooksConnectionEdge>;
  nodes: Array<Book>;
  pageInfo: PageInfo;
};

export type QueryBooksConnectionEdge = {
  __typename?: 'QueryBooksConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Book;
};

export type Role = 'admin' | 'user';

export type Subscription = {
  __typename?: 'Subscription';
  /** Changes to every book, or to the book `id`, or those matching `filter`; from `after` when resuming. */
  bookChanged: BookChange;
  /** The changes of `bookChanged` in batches: one message per `maxBatch` changes or per `maxWaitMs`, whichever comes first, for clients following a busy stream. */
  bookChanges: BookChangeBatch;
  /** Changes to the viewer's bookings (every booking for an admin), or to booking `id`, or those matching `filter`. */
  bookingChanged: BookingChange;
  /** The changes of `bookingChanged` in batches, as `bookChanges`. */
  bookingChanges: BookingChangeBatch;
};

export type SubscriptionBookChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BookChangeFilter>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type SubscriptionBookChangesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BookChangeFilter>;
  maxBatch?: InputMaybe<Scalars['Int']['input']>;
  maxWaitMs?: InputMaybe<Scalars['Int']['input']>;
};

export type SubscriptionBookingChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BookingChangeFilter>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type SubscriptionBookingChangesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BookingChangeFilter>;
  maxBatch?: InputMaybe<Scalars['Int']['input']>;
  maxWaitMs?: InputMaybe<Scalars['Int']['input']>;
};

/** Fields left out keep their value; `description` and `isbn` set to null are cleared. */
export type UpdateBookInput = {
  author?: InputMaybe<Scalars['String']['input']>;
  copies?: InputMaybe<Scalars['Int']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  isbn?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A new time range; the booking keeps its copy only if one is free for all of it. */
export type UpdateBookingInput = {
  endsAt: Scalars['DateTime']['input'];
  startsAt: Scalars['DateTime']['input'];
};

/** Who the request is signed in as. */
export type Viewer = {
  __typename?: 'Viewer';
  role: Role;
  userId: Scalars['String']['output'];
};

export type WithTypename<T extends { __typename?: any }> = Partial<T> & {
  __typename: NonNullable<T['__typename']>;
};

export type GraphCacheKeysConfig = {
  Book?: (data: WithTypename<Book>) => null | string;
  BookChange?: (data: WithTypename<BookChange>) => null | string;
  BookChangeBatch?: (data: WithTypename<BookChangeBatch>) => null | string;
  Booking?: (data: WithTypename<Booking>) => null | string;
  BookingChange?: (data: WithTypename<BookingChange>) => null | string;
  BookingChangeBatch?: (data: WithTypename<BookingChangeBatch>) => null | string;
  PageInfo?: (data: WithTypename<PageInfo>) => null | string;
  QueryBookingsConnection?: (data: WithTypename<QueryBookingsConnection>) => null | string;
  QueryBookingsConnectionEdge?: (data: WithTypename<QueryBookingsConnectionEdge>) => null | string;
  QueryBooksConnection?: (data: WithTypename<QueryBooksConnection>) => null | string;
  QueryBooksConnectionEdge?: (data: WithTypename<QueryBooksConnectionEdge>) => null | string;
  Viewer?: (data: WithTypename<Viewer>) => null | string;
};

export type GraphCacheResolvers = {
  Query?: {
    book?: GraphCacheResolver<WithTypename<Query>, QueryBookArgs, WithTypename<Book> | string>;
    booking?: GraphCacheResolver<
      WithTypename<Query>,
      QueryBookingArgs,
      WithTypename<Booking> | string
    >;
    bookings?: GraphCacheResolver<
      WithTypename<Query>,
      QueryBookingsArgs,
      WithTypename<QueryBookingsConnection> | string
    >;
    books?: GraphCacheResolver<
      WithTypename<Query>,
      QueryBooksArgs,
      WithTypename<QueryBooksConnection> | string
    >;
    node?: GraphCacheResolver<
      WithTypename<Query>,
      QueryNodeArgs,
      WithTypename<Book> | WithTypename<Booking> | string
    >;
    nodes?: GraphCacheResolver<
      WithTypename<Query>,
      QueryNodesArgs,
      Array<WithTypename<Book> | WithTypename<Booking> | string>
    >;
    viewer?: GraphCacheResolver<
      WithTypename<Query>,
      Record<string, never>,
      WithTypename<Viewer> | string
    >;
  };
  Book?: {
    author?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    available?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
    copies?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
    createdAt?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    description?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    id?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['ID']['output'] | string
    >;
    isbn?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    title?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    updatedAt?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    version?: GraphCacheResolver<
      WithTypename<Book>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
  };
  BookChange?: {
    at?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    book?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      WithTypename<Book> | string
    >;
    bookId?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      Scalars['ID']['output'] | string
    >;
    changedFields?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      Array<Scalars['String']['output'] | string>
    >;
    cursor?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    kind?: GraphCacheResolver<WithTypename<BookChange>, Record<string, never>, ChangeKind | string>;
    version?: GraphCacheResolver<
      WithTypename<BookChange>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
  };
  BookChangeBatch?: {
    changes?: GraphCacheResolver<
      WithTypename<BookChangeBatch>,
      Record<string, never>,
      Array<WithTypename<BookChange> | string>
    >;
    cursor?: GraphCacheResolver<
      WithTypename<BookChangeBatch>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
  };
  Booking?: {
    book?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      WithTypename<Book> | string
    >;
    createdAt?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    endsAt?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    id?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['ID']['output'] | string
    >;
    paymentStatus?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      PaymentStatus | string
    >;
    startsAt?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    status?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      BookingStatus | string
    >;
    updatedAt?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    userId?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    version?: GraphCacheResolver<
      WithTypename<Booking>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
  };
  BookingChange?: {
    at?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Scalars['DateTime']['output'] | string
    >;
    booking?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      WithTypename<Booking> | string
    >;
    bookingId?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Scalars['ID']['output'] | string
    >;
    changedFields?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Array<Scalars['String']['output'] | string>
    >;
    cursor?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    events?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Array<BookingEvent | string>
    >;
    kind?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      ChangeKind | string
    >;
    version?: GraphCacheResolver<
      WithTypename<BookingChange>,
      Record<string, never>,
      Scalars['Int']['output'] | string
    >;
  };
  BookingChangeBatch?: {
    changes?: GraphCacheResolver<
      WithTypename<BookingChangeBatch>,
      Record<string, never>,
      Array<WithTypename<BookingChange> | string>
    >;
    cursor?: GraphCacheResolver<
      WithTypename<BookingChangeBatch>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
  };
  PageInfo?: {
    endCursor?: GraphCacheResolver<
      WithTypename<PageInfo>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    hasNextPage?: GraphCacheResolver<
      WithTypename<PageInfo>,
      Record<string, never>,
      Scalars['Boolean']['output'] | string
    >;
    hasPreviousPage?: GraphCacheResolver<
      WithTypename<PageInfo>,
      Record<string, never>,
      Scalars['Boolean']['output'] | string
    >;
    startCursor?: GraphCacheResolver<
      WithTypename<PageInfo>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
  };
  QueryBookingsConnection?: {
    edges?: GraphCacheResolver<
      WithTypename<QueryBookingsConnection>,
      Record<string, never>,
      Array<WithTypename<QueryBookingsConnectionEdge> | string>
    >;
    nodes?: GraphCacheResolver<
      WithTypename<QueryBookingsConnection>,
      Record<string, never>,
      Array<WithTypename<Booking> | string>
    >;
    pageInfo?: GraphCacheResolver<
      WithTypename<QueryBookingsConnection>,
      Record<string, never>,
      WithTypename<PageInfo> | string
    >;
  };
  QueryBookingsConnectionEdge?: {
    cursor?: GraphCacheResolver<
      WithTypename<QueryBookingsConnectionEdge>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    node?: GraphCacheResolver<
      WithTypename<QueryBookingsConnectionEdge>,
      Record<string, never>,
      WithTypename<Booking> | string
    >;
  };
  QueryBooksConnection?: {
    edges?: GraphCacheResolver<
      WithTypename<QueryBooksConnection>,
      Record<string, never>,
      Array<WithTypename<QueryBooksConnectionEdge> | string>
    >;
    nodes?: GraphCacheResolver<
      WithTypename<QueryBooksConnection>,
      Record<string, never>,
      Array<WithTypename<Book> | string>
    >;
    pageInfo?: GraphCacheResolver<
      WithTypename<QueryBooksConnection>,
      Record<string, never>,
      WithTypename<PageInfo> | string
    >;
  };
  QueryBooksConnectionEdge?: {
    cursor?: GraphCacheResolver<
      WithTypename<QueryBooksConnectionEdge>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
    node?: GraphCacheResolver<
      WithTypename<QueryBooksConnectionEdge>,
      Record<string, never>,
      WithTypename<Book> | string
    >;
  };
  Viewer?: {
    role?: GraphCacheResolver<WithTypename<Viewer>, Record<string, never>, Role | string>;
    userId?: GraphCacheResolver<
      WithTypename<Viewer>,
      Record<string, never>,
      Scalars['String']['output'] | string
    >;
  };
};

export type GraphCacheOptimisticUpdaters = {
  cancelBooking?: GraphCacheOptimisticMutationResolver<
    MutationCancelBookingArgs,
    WithTypename<Booking>
  >;
  confirmBooking?: GraphCacheOptimisticMutationResolver<
    MutationConfirmBookingArgs,
    WithTypename<Booking>
  >;
  createBook?: GraphCacheOptimisticMutationResolver<MutationCreateBookArgs, WithTypename<Book>>;
  createBooking?: GraphCacheOptimisticMutationResolver<
    MutationCreateBookingArgs,
    WithTypename<Booking>
  >;
  deleteBook?: GraphCacheOptimisticMutationResolver<
    MutationDeleteBookArgs,
    Scalars['ID']['output']
  >;
  payBooking?: GraphCacheOptimisticMutationResolver<MutationPayBookingArgs, WithTypename<Booking>>;
  updateBook?: GraphCacheOptimisticMutationResolver<MutationUpdateBookArgs, WithTypename<Book>>;
  updateBooking?: GraphCacheOptimisticMutationResolver<
    MutationUpdateBookingArgs,
    WithTypename<Booking>
  >;
};

export type GraphCacheUpdaters = {
  Query?: {
    book?: GraphCacheUpdateResolver<{ book: Maybe<WithTypename<Book>> }, QueryBookArgs>;
    booking?: GraphCacheUpdateResolver<{ booking: Maybe<WithTypename<Booking>> }, QueryBookingArgs>;
    bookings?: GraphCacheUpdateResolver<
      { bookings: WithTypename<QueryBookingsConnection> },
      QueryBookingsArgs
    >;
    books?: GraphCacheUpdateResolver<{ books: WithTypename<QueryBooksConnection> }, QueryBooksArgs>;
    node?: GraphCacheUpdateResolver<
      { node: Maybe<WithTypename<Book> | WithTypename<Booking>> },
      QueryNodeArgs
    >;
    nodes?: GraphCacheUpdateResolver<
      { nodes: Array<WithTypename<Book> | WithTypename<Booking>> },
      QueryNodesArgs
    >;
    viewer?: GraphCacheUpdateResolver<
      { viewer: Maybe<WithTypename<Viewer>> },
      Record<string, never>
    >;
  };
  Mutation?: {
    cancelBooking?: GraphCacheUpdateResolver<
      { cancelBooking: WithTypename<Booking> },
      MutationCancelBookingArgs
    >;
    confirmBooking?: GraphCacheUpdateResolver<
      { confirmBooking: WithTypename<Booking> },
      MutationConfirmBookingArgs
    >;
    createBook?: GraphCacheUpdateResolver<
      { createBook: WithTypename<Book> },
      MutationCreateBookArgs
    >;
    createBooking?: GraphCacheUpdateResolver<
      { createBooking: WithTypename<Booking> },
      MutationCreateBookingArgs
    >;
    deleteBook?: GraphCacheUpdateResolver<
      { deleteBook: Scalars['ID']['output'] },
      MutationDeleteBookArgs
    >;
    payBooking?: GraphCacheUpdateResolver<
      { payBooking: WithTypename<Booking> },
      MutationPayBookingArgs
    >;
    updateBook?: GraphCacheUpdateResolver<
      { updateBook: WithTypename<Book> },
      MutationUpdateBookArgs
    >;
    updateBooking?: GraphCacheUpdateResolver<
      { updateBooking: WithTypename<Booking> },
      MutationUpdateBookingArgs
    >;
  };
  Subscription?: {
    bookChanged?: GraphCacheUpdateResolver<
      { bookChanged: WithTypename<BookChange> },
      SubscriptionBookChangedArgs
    >;
    bookChanges?: GraphCacheUpdateResolver<
      { bookChanges: WithTypename<BookChangeBatch> },
      SubscriptionBookChangesArgs
    >;
    bookingChanged?: GraphCacheUpdateResolver<
      { bookingChanged: WithTypename<BookingChange> },
      SubscriptionBookingChangedArgs
    >;
    bookingChanges?: GraphCacheUpdateResolver<
      { bookingChanges: WithTypename<BookingChangeBatch> },
      SubscriptionBookingChangesArgs
    >;
  };
  Book?: {
    author?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    available?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    copies?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    createdAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    description?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    id?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    isbn?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    title?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    updatedAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
    version?: GraphCacheUpdateResolver<Maybe<WithTypename<Book>>, Record<string, never>>;
  };
  BookChange?: {
    at?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
    book?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
    bookId?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
    changedFields?: GraphCacheUpdateResolver<
      Maybe<WithTypename<BookChange>>,
      Record<string, never>
    >;
    cursor?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
    kind?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
    version?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChange>>, Record<string, never>>;
  };
  BookChangeBatch?: {
    changes?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChangeBatch>>, Record<string, never>>;
    cursor?: GraphCacheUpdateResolver<Maybe<WithTypename<BookChangeBatch>>, Record<string, never>>;
  };
  Booking?: {
    book?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    createdAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    endsAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    id?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    paymentStatus?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    startsAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    status?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    updatedAt?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    userId?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
    version?: GraphCacheUpdateResolver<Maybe<WithTypename<Booking>>, Record<string, never>>;
  };
  BookingChange?: {
    at?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    booking?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    bookingId?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    changedFields?: GraphCacheUpdateResolver<
      Maybe<WithTypename<BookingChange>>,
      Record<string, never>
    >;
    cursor?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    events?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    kind?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
    version?: GraphCacheUpdateResolver<Maybe<WithTypename<BookingChange>>, Record<string, never>>;
  };
  BookingChangeBatch?: {
    changes?: GraphCacheUpdateResolver<
      Maybe<WithTypename<BookingChangeBatch>>,
      Record<string, never>
    >;
    cursor?: GraphCacheUpdateResolver<
      Maybe<WithTypename<BookingChangeBatch>>,
      Record<string, never>
    >;
  };
  PageInfo?: {
    endCursor?: GraphCacheUpdateResolver<Maybe<WithTypename<PageInfo>>, Record<string, never>>;
    hasNextPage?: GraphCacheUpdateResolver<Maybe<WithTypename<PageInfo>>, Record<string, never>>;
    hasPreviousPage?: GraphCacheUpdateResolver<
      Maybe<WithTypename<PageInfo>>,
      Record<string, never>
    >;
    startCursor?: GraphCacheUpdateResolver<Maybe<WithTypename<PageInfo>>, Record<string, never>>;
  };
  QueryBookingsConnection?: {
    edges?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBookingsConnection>>,
      Record<string, never>
    >;
    nodes?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBookingsConnection>>,
      Record<string, never>
    >;
    pageInfo?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBookingsConnection>>,
      Record<string, never>
    >;
  };
  QueryBookingsConnectionEdge?: {
    cursor?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBookingsConnectionEdge>>,
      Record<string, never>
    >;
    node?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBookingsConnectionEdge>>,
      Record<string, never>
    >;
  };
  QueryBooksConnection?: {
    edges?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBooksConnection>>,
      Record<string, never>
    >;
    nodes?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBooksConnection>>,
      Record<string, never>
    >;
    pageInfo?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBooksConnection>>,
      Record<string, never>
    >;
  };
  QueryBooksConnectionEdge?: {
    cursor?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBooksConnectionEdge>>,
      Record<string, never>
    >;
    node?: GraphCacheUpdateResolver<
      Maybe<WithTypename<QueryBooksConnectionEdge>>,
      Record<string, never>
    >;
  };
  Viewer?: {
    role?: GraphCacheUpdateResolver<Maybe<WithTypename<Viewer>>, Record<string, never>>;
    userId?: GraphCacheUpdateResolver<Maybe<WithTypename<Viewer>>, Record<string, never>>;
  };
};

export type GraphCacheConfig = Parameters<typeof cacheExchange>[0] & {
  updates?: GraphCacheUpdaters;
  keys?: GraphCacheKeysConfig;
  optimistic?: GraphCacheOptimisticUpdaters;
  resolvers?: GraphCacheResolvers;
};
