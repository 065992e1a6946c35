import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
  getOperationAST,
  visit,
} from 'graphql';

const cache = new WeakMap<DocumentNode, Map<string, ReadonlySet<string>>>();

/**
 * Arguments of our subscription fields that only choose the stream (which changes, from where):
 * their resolvers never read them (schema/changes.ts). A new argument that shapes results must
 * not be added here.
 */
const streamArguments = new Set(['id', 'after', 'filter']);

/**
 * The variables of a subscription that can change what one event's result looks like: all but
 * those used only as the root field's stream arguments (`id`, `after`, `filter`), so subscribers that
 * resumed from different cursors still get the same result from the same event and share it.
 */
export function variablesShapingResults(
  document: DocumentNode,
  operationName: string | null | undefined,
): ReadonlySet<string> {
  let byOperation = cache.get(document);
  if (!byOperation) cache.set(document, (byOperation = new Map()));
  const name = operationName ?? '';
  let names = byOperation.get(name);
  if (!names) byOperation.set(name, (names = collect(document, operationName)));
  return names;
}

function collect(document: DocumentNode, operationName: string | null | undefined): Set<string> {
  const names = new Set<string>();
  const operation = getOperationAST(document, operationName);
  if (!operation) return names;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const seenFragments = new Set<string>();
  const collectBelow = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable: (variable) => void names.add(variable.name.value),
      FragmentSpread: (spread) => {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || seenFragments.has(fragment.name.value)) return;
        seenFragments.add(fragment.name.value);
        collectBelow(fragment);
      },
    });
  const collectRoot = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) collectBelow(directive);
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          if (!streamArguments.has(argument.name.value)) collectBelow(argument);
        }
        if (selection.selectionSet) collectBelow(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collectRoot(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seenFragments.has(fragment.name.value)) {
          seenFragments.add(fragment.name.value);
          for (const directive of fragment.directives ?? []) collectBelow(directive);
          collectRoot(fragment.selectionSet);
        }
      }
    }
  };
  collectRoot(operation.selectionSet);
  return names;
}
