import type { Cache, Variables } from '@urql/exchange-graphcache';

type Args = Variables;

/** Whether an entity matches the filter arguments (`search`, `status`) a list was fetched with. */
export type ListFilter = (args: Args) => boolean;

interface CachedPage {
  fieldName: string;
  args: Args;
  /** Key of the connection object, which Graphcache embeds in Query under the field's key. */
  connection: string;
  nodes: string[];
}

// Lists are connections on Query (`books`, `bookings`) in creation order, read through `nodes`.
// Their cursors are made by the server, so an entity cannot be placed into `edges`: a page that
// has edges cached is invalidated instead and fetched again.

function cachedPages(cache: Cache, fieldName: string): CachedPage[] {
  return cache
    .inspectFields('Query')
    .filter((field) => field.fieldName === fieldName)
    .flatMap((field) => {
      const args = field.arguments ?? {};
      const connection = cache.resolve('Query', fieldName, args);
      const nodes = typeof connection === 'string' ? cache.resolve(connection, 'nodes') : undefined;
      if (typeof connection !== 'string' || !Array.isArray(nodes)) return [];
      return [{ fieldName, args, connection, nodes: nodes as string[] }];
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

function writeNodes(cache: Cache, page: CachedPage, nodes: string[]): void {
  cache.link(page.connection, 'nodes', nodes);
  if (cache.resolve(page.connection, 'edges') !== undefined) {
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
      writeNodes(cache, page, nodes);
    }
  }
}

function removeFromPage(cache: Cache, page: CachedPage, key: string): void {
  cache.link(
    page.connection,
    'nodes',
    page.nodes.filter((node) => node !== key),
  );
  const edges = cache.resolve(page.connection, 'edges');
  if (Array.isArray(edges)) {
    cache.link(
      page.connection,
      'edges',
      (edges as string[]).filter((edge) => cache.resolve(edge, 'node') !== key),
    );
  }
}

/** Takes the entity `key` out of every cached page of `fieldName`. */
export function removeFromLists(cache: Cache, fieldName: string, key: string): void {
  for (const page of cachedPages(cache, fieldName)) {
    if (page.nodes.includes(key)) removeFromPage(cache, page, key);
  }
}
