import { EventEmitter } from 'node:events';
import type { ChangeEvent } from './changeEvent.ts';
import type { Entity } from './changeLog.ts';
import type { HeldDelivery } from './heldDelivery.ts';
import type { Position } from './position.ts';

/**
 * Why a subscription of the feed ended: the code of the error it ended with, the client leaving
 * (`return()` or its signal), or the feed closing. A refused resume (an expired or foreign
 * cursor) counts as ended with its code too.
 */
export type SubscriberEndReason =
  | 'SLOW_CONSUMER'
  | 'CURSOR_EXPIRED'
  | 'UNAUTHENTICATED'
  | 'BAD_USER_INPUT'
  | 'CLIENT_LEFT'
  | 'SERVER_SHUTDOWN';

/** What a change feed reports as it works (metrics listen); each event's arguments. */
export interface ChangeFeedEvents {
  /** A subscription was opened (its stream is registered: changes from now on reach it). */
  subscribed: [subscription: { entity: Entity }];
  /** Every settled change up to `position` has been read and handed out. */
  published: [read: { position: Position }];
  /** The feed has closed: every subscription ended. */
  closed: [];
  /** A change was handed to `count` subscribers' transports: live, or replayed from the log. */
  delivered: [delivery: { event: ChangeEvent; replayed: boolean; count: number }];
  /**
   * The change log was read: for the live feed, for subscribers catching up from a cursor, or
   * for its newest position or horizon, where subscribers start and which cursors resume.
   */
  logRead: [read: { purpose: 'live' | 'replay' | 'head' }];
  /** The rows behind `changes` live changes were read, because some subscriber wanted them. */
  rowsRead: [read: { changes: number }];
  /** Delivery has been held back by an open transaction for a while (and still is). */
  deliveryHeld: [held: HeldDelivery];
  /** A subscription stopped receiving changes. */
  subscriberEnded: [ending: { entity: Entity; reason: SubscriberEndReason }];
  /** The LISTEN connection was lost and is back; changes meanwhile are read from the log. */
  listenerReconnected: [];
}

export type ChangeFeedEmitter = EventEmitter<ChangeFeedEvents>;
