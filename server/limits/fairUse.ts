import { type DocumentNode, Kind, type SelectionSetNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limits } from '../config.ts';
import { type Context, viewerKey } from '../context.ts';
import { limitExceeded, rateLimited } from '../errors.ts';
import { atSubscriptionEnd } from '../realtime/subscriptionEnd.ts';

const window = 60;

/**
 * Open subscriptions at once; queries, mutations and new subscriptions per minute, counted per signed-in user, or per address for
 * anonymous clients, on every transport (they all execute through Yoga's envelop). Each root
 * field of a mutation counts, so aliasing one mutation a hundred times costs a hundred.
 * The counts live in this instance's memory: behind N replicas a client gets at most N times
 * the rate, which bounds abuse without a shared store.
 */
export function useFairUse(limits: Limits): Plugin<Context> {
  const mutations = new RateLimiterMemory({ points: limits.mutationsPerMinute, duration: window });
  const queries = new RateLimiterMemory({ points: limits.queriesPerMinute, duration: window });
  /** Open subscriptions per user or address, on every transport together. */
  const open = new Map<string, number>();
  const subscriptions = new RateLimiterMemory({
    points: limits.subscriptionsPerMinute,
    duration: window,
  });
  /** One for every subscription: a closure each would be kept for as long as it lives. */
  const release = (key: string) => {
    const left = (open.get(key) ?? 1) - 1;
    if (left > 0) open.set(key, left);
    else open.delete(key);
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      const context = args.contextValue as Context;
      const key = viewerKey(context.viewer, context.clientAddress);
      const refusal =
        operation?.operation === 'mutation'
          ? await consume(
              mutations,
              key,
              rootFieldCount(operation.selectionSet, args.document),
              'mutations',
            )
          : await consume(queries, key, 1, 'queries');
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Context;
      const key = viewerKey(context.viewer, context.clientAddress);
      const held = open.get(key) ?? 0;
      if (held >= limits.maxSubscriptionsPerViewer) {
        const error = limitExceeded(
          'open subscriptions per user or address',
          limits.maxSubscriptionsPerViewer,
        );
        return setResultAndStopExecution({ errors: [error] });
      }
      const refusal = await consume(subscriptions, key, 1, 'new subscriptions');
      if (refusal) return setResultAndStopExecution({ errors: [refusal] });
      // Counted until the subscription ends, on whichever transport it runs.
      open.set(key, held + 1);
      return { onSubscribeResult: (payload) => atSubscriptionEnd(payload, release, key) };
    },
  };
}

async function consume(limiter: RateLimiterMemory, key: string, points: number, what: string) {
  try {
    await limiter.consume(key, points);
    return undefined;
  } catch (result) {
    if (!(result instanceof RateLimiterRes)) throw result;
    return rateLimited(
      `${what} (at most ${limiter.points} a minute)`,
      Math.ceil(result.msBeforeNext / 1000),
    );
  }
}

/** The root fields an operation runs, through fragments: each one is a mutation of its own. */
function rootFieldCount(selectionSet: SelectionSetNode, document: DocumentNode): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, document);
    } else {
      const fragment = document.definitions.find(
        (definition) =>
          definition.kind === Kind.FRAGMENT_DEFINITION &&
          definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
        count += rootFieldCount(fragment.selectionSet, document);
      }
    }
  }
  return count;
}
