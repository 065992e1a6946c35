// The Shelfwire client: a typed urql client whose cache the API's change feed keeps live.
export {
  createShelfwireClient,
  type ShelfwireClient,
  type ShelfwireClientOptions,
} from './createShelfwireClient.ts';
export type { ConnectionState, ConnectionStatus, StopReason } from './connectionState.ts';
export { errorCode, type ErrorCode } from './errors.ts';
export {
  BookChanges,
  BookingChanges,
  bookingChangesFrom,
  followChanges,
  type LiveUpdates,
} from './liveUpdates.ts';
export { BookFields, BookingFields } from './fragments.ts';
export { graphql } from './gql/index.ts';
export type { TransportName } from './transports/transport.ts';
