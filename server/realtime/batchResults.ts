import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  Kind,
  type OperationDefinitionNode,
  type ValidatedSubscriptionArgs,
  executeSubscriptionEvent,
  getOperationAST,
  validateSubscriptionArgs,
} from 'graphql';
import type { ChangeEvent } from './changeEvent.ts';
import type { ChangeBatch } from './changeBatches.ts';

type MaybePromise<T> = T | Promise<T>;

/** Each batch field, and the field that delivers its changes one at a time. */
const itemFieldOf: Record<string, { field: string; typename: string }> = {
  bookChanges: { field: 'bookChanged', typename: 'BookChangeBatch' },
  bookingChanges: { field: 'bookingChanged', typename: 'BookingChangeBatch' },
};
const itemKey = 'item';

/** One field selected on a batch: its response key and what it is. */
type BatchField =
  | { key: string; name: 'cursor' | '__typename' }
  | { key: string; name: 'changes'; item: DocumentNode };

/** How a batch subscription's results are put together from each change's shared result. */
interface BatchShape {
  rootKey: string;
  typename: string;
  fields: BatchField[];
}

/** The arguments to execute one change for one of a batch's `changes` fields. */
type ItemArgs = ValidatedSubscriptionArgs & { key: string };

export interface BatchPlan {
  shape: BatchShape;
  /** By index into `shape.fields`, for the `changes` fields. */
  items: Map<number, ItemArgs>;
}

const shapes = new WeakMap<DocumentNode, Map<string, BatchShape | null>>();

/**
 * Batches deliver many changes per message, and every subscriber's batches differ (each starts
 * when its first change arrives), so a batch executed as a whole is executed once per
 * subscriber: at 100 subscribers of a busy stream that was more than a core. Instead each change
 * of a batch is executed once per distinct subscription, as a live change is
 * (realtime/sharedResults.ts), through a document of its own (the `changes` selection under the
 * change field that delivers one change at a time), and the batch is put together from those
 * results. Only for batches selecting plain `cursor`, `__typename` and `changes` fields; any
 * other shape (fragments, directives on the batch) is executed as a whole.
 */
export function batchPlan(
  args: ExecutionArgs,
  keyOf: (args: ExecutionArgs) => string,
): BatchPlan | null {
  let byOperation = shapes.get(args.document);
  if (!byOperation) shapes.set(args.document, (byOperation = new Map()));
  const name = args.operationName ?? '';
  let shape = byOperation.get(name);
  if (shape === undefined) byOperation.set(name, (shape = shapeOf(args.document, name)));
  if (!shape) return null;
  const items = new Map<number, ItemArgs>();
  for (const [index, field] of shape.fields.entries()) {
    if (field.name !== 'changes') continue;
    const itemArgs = { ...args, document: field.item, operationName: undefined };
    const validated = validateSubscriptionArgs(itemArgs);
    if (!('schema' in validated)) return null;
    items.set(index, { ...validated, key: keyOf(itemArgs) });
  }
  return { shape, items };
}

function shapeOf(document: DocumentNode, operationName: string): BatchShape | null {
  const operation = getOperationAST(document, operationName || undefined);
  const root = operation?.selectionSet.selections;
  if (!operation || root?.length !== 1 || root[0]!.kind !== Kind.FIELD) return null;
  const rootField = root[0]!;
  const itemField = itemFieldOf[rootField.name.value];
  if (!itemField || rootField.directives?.length || !rootField.selectionSet) return null;
  const fields: BatchField[] = [];
  const keys = new Set<string>();
  for (const selection of rootField.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (keys.has(key)) return null; // merged fields: leave them to graphql
    keys.add(key);
    const name = selection.name.value;
    if (name === 'cursor' || name === '__typename') fields.push({ key, name });
    else if (name === 'changes' && selection.selectionSet) {
      fields.push({
        key,
        name,
        item: itemDocument(document, operation, itemField.field, selection),
      });
    } else return null;
  }
  return {
    rootKey: rootField.alias?.value ?? rootField.name.value,
    typename: itemField.typename,
    fields,
  };
}

/** `subscription (...same variables) { item: <itemField> { ...the changes selection } }`. */
function itemDocument(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  itemField: string,
  changes: FieldNode,
): DocumentNode {
  const item: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: itemKey },
    name: { kind: Kind.NAME, value: itemField },
    selectionSet: changes.selectionSet,
  };
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation.operation,
        variableDefinitions: operation.variableDefinitions,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [item] },
      },
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
}

const isBatch = (value: unknown): value is ChangeBatch =>
  typeof value === 'object' && value !== null && Array.isArray((value as ChangeBatch).changes);

/**
 * The result of one batch for one subscriber, from each change's result shared by every
 * subscriber with the same item key (`share`). An error item, or a change whose result has
 * errors, is executed as a whole, so its errors come out as graphql would give them.
 */
export function executeBatch(
  perEvent: ValidatedSubscriptionArgs,
  plan: BatchPlan,
  share: (
    event: object,
    key: string,
    execute: () => MaybePromise<ExecutionResult>,
  ) => MaybePromise<ExecutionResult>,
): MaybePromise<ExecutionResult> {
  const batch = perEvent.rootValue;
  if (!isBatch(batch)) return executeSubscriptionEvent(perEvent);
  const results = new Map<number, MaybePromise<ExecutionResult>[]>();
  let waiting = false;
  for (const [index, args] of plan.items) {
    const made = batch.changes.map((event: ChangeEvent) =>
      share(event, args.key, () =>
        executeSubscriptionEvent({
          ...args,
          contextValue: perEvent.contextValue,
          rootValue: event,
        }),
      ),
    );
    waiting ||= made.some((result) => result instanceof Promise);
    results.set(index, made);
  }
  const assemble = (made: Map<number, ExecutionResult[]>) => {
    const value: Record<string, unknown> = {};
    for (const [index, field] of plan.shape.fields.entries()) {
      if (field.name === 'cursor') value[field.key] = batch.cursor;
      else if (field.name === '__typename') value[field.key] = plan.shape.typename;
      else {
        const items = made.get(index)!;
        if (items.some((result) => result.errors?.length || !result.data)) {
          return executeSubscriptionEvent(perEvent);
        }
        value[field.key] = items.map((result) => result.data![itemKey]);
      }
    }
    return { data: { [plan.shape.rootKey]: value } };
  };
  if (!waiting) return assemble(results as Map<number, ExecutionResult[]>);
  return Promise.all(
    [...results].map(async ([index, made]) => [index, await Promise.all(made)] as const),
  ).then((settled) => assemble(new Map(settled)));
}
