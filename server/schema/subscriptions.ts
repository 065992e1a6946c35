// The subscription fields: each change as it happens, or in batches; filtered at the source.
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { type ChangeBatch, ChangeBatches } from '../realtime/changeBatches.ts';
import type { StreamItem } from '../realtime/changeStream.ts';
import { builder } from './builder.ts';
import {
  BookChangeFilter,
  BookingChangeFilter,
  bookFilter,
  bookingFilter,
} from './changeFilters.ts';
import { BookChange, BookingChange, deliver, openStream } from './changes.ts';

builder.subscriptionFields((t) => ({
  bookChanged: t.field({
    type: BookChange,
    description:
      'Changes to every book, or to the book `id`, or those matching `filter`; from `after` ' +
      'when resuming.',
    args: { id: t.arg.id(), after: t.arg.string(), filter: t.arg({ type: BookChangeFilter }) },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => bookFilter(context, args.id == null ? null : String(args.id), args.filter),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
  bookingChanged: t.field({
    type: BookingChange,
    description:
      "Changes to the viewer's bookings (every booking for an admin), or to booking `id`, or " +
      'those matching `filter`.',
    args: { id: t.arg.id(), after: t.arg.string(), filter: t.arg({ type: BookingChangeFilter }) },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => bookingFilter(context, args.id == null ? null : String(args.id), args.filter),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
}));

export const maxBatchSize = 1000;
export const maxBatchWaitMs = 60_000;

const batchArgs = {
  maxBatch: {
    description: `A batch leaves once it holds this many changes (1-${maxBatchSize})...`,
    validate: z.number().int().min(1, 'at least 1').max(maxBatchSize, `at most ${maxBatchSize}`),
    defaultValue: 100,
  },
  maxWaitMs: {
    description: `...or this many milliseconds after its first change arrived (0-${maxBatchWaitMs}).`,
    validate: z
      .number()
      .int()
      .min(0, 'at least 0')
      .max(maxBatchWaitMs, `at most ${maxBatchWaitMs}`),
    defaultValue: 1000,
  },
} as const;

const batchOf = (name: string, change: typeof BookChange) =>
  builder.objectRef<ChangeBatch>(name).implement({
    description: 'Changes delivered together, oldest first.',
    fields: (t) => ({
      changes: t.field({ type: [change], resolve: (batch) => batch.changes }),
      cursor: t.exposeString('cursor', {
        description: "The last change's cursor: pass as `after` to resume right after the batch.",
      }),
    }),
  });
const BookChangeBatch = batchOf('BookChangeBatch', BookChange);
const BookingChangeBatch = batchOf('BookingChangeBatch', BookingChange);

/** Batches of a change stream; a refusal or an ending error is delivered as unbatched. */
async function openBatches(
  stream: Promise<AsyncIterable<StreamItem>>,
  limits: { maxBatch?: number | null; maxWaitMs?: number | null },
) {
  return new ChangeBatches((await stream)[Symbol.asyncIterator](), {
    maxBatch: limits.maxBatch ?? batchArgs.maxBatch.defaultValue,
    maxWaitMs: limits.maxWaitMs ?? batchArgs.maxWaitMs.defaultValue,
  });
}

builder.subscriptionFields((t) => ({
  bookChanges: t.field({
    type: BookChangeBatch,
    description:
      'The changes of `bookChanged` in batches: one message per `maxBatch` changes or per ' +
      '`maxWaitMs`, whichever comes first, for clients following a busy stream.',
    args: {
      after: t.arg.string(),
      filter: t.arg({ type: BookChangeFilter }),
      maxBatch: t.arg.int(batchArgs.maxBatch),
      maxWaitMs: t.arg.int(batchArgs.maxWaitMs),
    },
    subscribe: (_root, args, context) =>
      openBatches(
        openStream(context, () => bookFilter(context, null, args.filter), args.after),
        args,
      ),
    resolve: (item: ChangeBatch | DomainError, _args, context) => deliver(item, context),
  }),
  bookingChanges: t.field({
    type: BookingChangeBatch,
    description: 'The changes of `bookingChanged` in batches, as `bookChanges`.',
    args: {
      after: t.arg.string(),
      filter: t.arg({ type: BookingChangeFilter }),
      maxBatch: t.arg.int(batchArgs.maxBatch),
      maxWaitMs: t.arg.int(batchArgs.maxWaitMs),
    },
    subscribe: (_root, args, context) =>
      openBatches(
        openStream(context, () => bookingFilter(context, null, args.filter), args.after),
        args,
      ),
    resolve: (item: ChangeBatch | DomainError, _args, context) => deliver(item, context),
  }),
}));
