import { gql } from '@urql/core';
import type { Cache, Variables } from '@urql/exchange-graphcache';

type Args = Variables;

/** Whether an entity matches the filter arguments (`search`, `status`) a list was fetched with. */
export type ListFilter = (args: Args) => boolean;

interface CachedPage {
  fieldName: string;
  args: Args;
  /** Key of the connection object, which Graphcache embeds in Query under the field's key. */
  connection: string;
  /** The page's entities in order, read from `nodes` or else from `edges { node }`. */
  nodes: string[];
  /** The cached edge records, when the page was read through `edges`. */
  edges: string[] | undefined;
}

// Lists are connections on Query (`books`, `bookings`) in creation order, read through `nodes`,
// `edges { node }` or both; both are kept the same. An edge's cursor is made by the server, so
// an edge placed here borrows the cursor of the edge before it (or the page's `after`): paging on
// from it may repeat an item, never skip one. Only an edge placed first on the list's first page
// has none to borrow: that page is invalidated and fetched again.

const asKeys = (value: unknown) => (Array.isArray(value) ? (value as string[]) : undefined);

function cachedPages(cache: Cache, fieldName: string): CachedPage[] {
  return cache
    .inspectFields('Query')
    .filter((field) => field.fieldName === fieldName)
    .flatMap((field) => {
      const args = field.arguments ?? {};
      const connection = cache.resolve('Query', fieldName, args);
      if (typeof connection !== 'string') return [];
      const edges = asKeys(cache.resolve(connection, 'edges'));
      const nodes =
        asKeys(cache.resolve(connection, 'nodes')) ??
        edges?.map((edge) => cache.resolve(edge, 'node') as string);
      if (!nodes) return [];
      return [{ fieldName, args, connection, nodes, edges }];
    });
}

/** (createdAt, key) of an entity, the order lists are sorted in. */
function positionOf(cache: Cache, key: string): [string, string] {
  const createdAt = cache.resolve(key, 'createdAt');
  return [typeof createdAt === 'string' ? createdAt : '\uffff', key];
}

const before = (a: [string, string], b: [string, string]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The server's page size when `first` is not given. */
const defaultPageSize = 20;

/** Whether nothing follows this page: `pageInfo` says so, or the page came back short. */
function endsList(cache: Cache, page: CachedPage): boolean {
  const pageInfo = cache.resolve(page.connection, 'pageInfo');
  const hasNextPage =
    typeof pageInfo === 'string' ? cache.resolve(pageInfo, 'hasNextPage') : undefined;
  if (typeof hasNextPage === 'boolean') return !hasNextPage;
  if (page.args.last != null) return false;
  const asked = typeof page.args.first === 'number' ? page.args.first : defaultPageSize;
  return page.nodes.length < asked;
}

/**
 * Whether an entity at `position` falls within this page: a page that ends the list holds
 * everything from its first item on (everything at all when it starts the list too).
 */
function pageCovers(cache: Cache, page: CachedPage, position: [string, string]): boolean {
  if (!endsList(cache, page)) return false;
  if (page.args.after == null && page.args.before == null && page.args.last == null) return true;
  const first = page.nodes[0];
  return first === undefined || !before(position, positionOf(cache, first));
}

/** A document that selects the page's edges under the same field key the page is cached at. */
function edgesDocument(page: CachedPage, withCursor: boolean) {
  // Literals rather than variables: Graphcache keys a field by its argument values either way.
  const args = Object.entries(page.args)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
  const field = args ? `${page.fieldName}(${args})` : page.fieldName;
  const selection = withCursor ? 'cursor node { id }' : 'node { id }';
  return gql(['{', field, '{ edges {', selection, '} } }'].join(' '));
}

/** Writes `nodes` as the page's edges; false when an edge has no cursor to borrow. */
function writeEdges(cache: Cache, page: CachedPage, edges: string[], nodes: string[]): boolean {
  const edgeOf = new Map(edges.map((edge) => [cache.resolve(edge, 'node') as string, edge]));
  // An empty page cannot tell whether its query selects `cursor`: assume it does.
  const withCursor =
    edges.length === 0 || edges.some((edge) => typeof cache.resolve(edge, 'cursor') === 'string');
  const edgeTypename = edges.map((edge) => cache.resolve(edge, '__typename')).find(Boolean);
  const written: Record<string, unknown>[] = [];
  // Before its first edge, a page starts right after its `after`.
  let borrowed: unknown = page.args.after;
  for (const node of nodes) {
    const edge = edgeOf.get(node);
    const cursor = edge ? cache.resolve(edge, 'cursor') : borrowed;
    if (withCursor && typeof cursor !== 'string') return false;
    borrowed = cursor;
    written.push({
      __typename: edgeTypename ?? `${cache.resolve(page.connection, '__typename')}Edge`,
      ...(withCursor ? { cursor } : {}),
      node: { __typename: cache.resolve(node, '__typename'), id: cache.resolve(node, 'id') },
    });
  }
  cache.updateQuery({ query: edgesDocument(page, withCursor) }, () => ({
    [page.fieldName]: {
      __typename: cache.resolve(page.connection, '__typename'),
      edges: written,
    },
  }));
  return true;
}

function writePage(cache: Cache, page: CachedPage, nodes: string[]): void {
  if (cache.resolve(page.connection, 'nodes') !== undefined) {
    cache.link(page.connection, 'nodes', nodes);
  }
  if (page.edges && !writeEdges(cache, page, page.edges, nodes)) {
    cache.invalidate('Query', page.fieldName, page.args);
  }
}

/**
 * Puts the entity `key` into every cached page of `fieldName` that should show it, in creation
 * order, and takes it out of those whose filter it no longer matches.
 */
export function placeInLists(
  cache: Cache,
  fieldName: string,
  key: string,
  matches: ListFilter,
): void {
  const position = positionOf(cache, key);
  for (const page of cachedPages(cache, fieldName)) {
    const shown = page.nodes.includes(key);
    const belongs = matches(page.args) && pageCovers(cache, page, position);
    if (shown && !matches(page.args)) {
      removeFromPage(cache, page, key);
    } else if (!shown && belongs) {
      const index = page.nodes.findIndex((node) => before(position, positionOf(cache, node)));
      const nodes = [...page.nodes];
      nodes.splice(index === -1 ? nodes.length : index, 0, key);
      writePage(cache, page, nodes);
    }
  }
}

function removeFromPage(cache: Cache, page: CachedPage, key: string): void {
  if (cache.resolve(page.connection, 'nodes') !== undefined) {
    cache.link(
      page.connection,
      'nodes',
      page.nodes.filter((node) => node !== key),
    );
  }
  if (page.edges) {
    cache.link(
      page.connection,
      'edges',
      page.edges.filter((edge) => cache.resolve(edge, 'node') !== key),
    );
  }
}

/** Takes the entity `key` out of every cached page of `fieldName`. */
export function removeFromLists(cache: Cache, fieldName: string, key: string): void {
  for (const page of cachedPages(cache, fieldName)) {
    if (page.nodes.includes(key)) removeFromPage(cache, page, key);
  }
}
