import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { BookForm } from './BookForm.tsx';
import { BookItem } from './BookItem.tsx';
import { ListFooter, useDebounced, usePages } from './pagedList.tsx';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

const CatalogueBooks = graphql(`
  query CatalogueBooks($first: Int, $after: String, $search: String) {
    books(first: $first, after: $after, search: $search) {
      nodes {
        ...BookFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const pageSize = 50;
/** The server refuses a longer search (`books(search:)`). */
const maxSearchLength = 200;

const pageVariables = (after: string | null, search: string) => ({
  first: pageSize,
  after,
  search: search || null,
});

/** The search as the server applies it: title or author, ignoring case. */
const matchesSearch = (book: BookFieldsFragment, search: string) =>
  !search ||
  [book.title, book.author].some((text) => text.toLowerCase().includes(search.toLowerCase()));

/** One page of books; the cache keeps it live (a created book joins the page that ends the list). */
function BookPage(props: {
  after: string | null;
  search: string;
  viewer: Viewer | null;
  onEdit: (book: BookFieldsFragment) => void;
}) {
  const [{ data }] = useQuery({
    query: CatalogueBooks,
    variables: pageVariables(props.after, props.search),
  });
  return data?.books.nodes.map((book) => (
    <BookItem key={book.id} book={book} viewer={props.viewer} onEdit={props.onEdit} />
  ));
}

/** The books, live and searchable, a page at a time: admins edit them, readers book a copy. */
export function Catalogue({ viewer }: { viewer: Viewer | null }) {
  const [draft, setDraft] = useState('');
  const search = useDebounced(draft.trim(), 300);
  const pages = usePages(search);
  const [first] = useQuery({ query: CatalogueBooks, variables: pageVariables(null, search) });
  const [last] = useQuery({ query: CatalogueBooks, variables: pageVariables(pages.last, search) });
  const [editing, setEditing] = useState<BookFieldsFragment>();
  const [created, setCreated] = useState<string>();
  const isAdmin = viewer?.role === 'admin';
  const hasMore = last.data?.books.pageInfo.hasNextPage ?? false;

  /** Says where a book created here went: a paged list may not show its end yet. */
  const whereIs = (book: BookFieldsFragment) => {
    if (!matchesSearch(book, search)) {
      return `Created “${book.title}”. It does not match the search “${search}”, so it is not listed.`;
    }
    if (hasMore) {
      return `Created “${book.title}”. It is at the end of the catalogue: “Load more” reaches it.`;
    }
    return `Created “${book.title}”: it is the last book of the list.`;
  };

  return (
    <section aria-labelledby="catalogue-title">
      <h2 id="catalogue-title">Catalogue</h2>
      {isAdmin && (
        <BookForm
          key={editing?.id ?? 'new'}
          book={editing}
          onDone={(saved) => {
            if (!editing && saved) setCreated(whereIs(saved));
            setEditing(undefined);
          }}
          onFailed={() => setCreated(undefined)}
        />
      )}
      {created && (
        <p className="notice" role="status" aria-label="Created">
          {created}
        </p>
      )}
      <label className="search">
        Search
        <input
          type="search"
          value={draft}
          maxLength={maxSearchLength}
          placeholder="Title or author"
          onChange={(event) => (setDraft(event.target.value), setCreated(undefined))}
        />
      </label>
      {search && first.data && (
        <p className="search-note" aria-live="polite">
          Books matching “{search}”
        </p>
      )}
      <ul className="books" aria-label="Books" aria-busy={last.fetching}>
        {pages.cursors.map((after) => (
          <BookPage
            key={after ?? 'first'}
            after={after}
            search={search}
            viewer={viewer}
            onEdit={setEditing}
          />
        ))}
      </ul>
      <ListFooter
        last={{
          fetching: last.fetching,
          error: last.error,
          pageInfo: last.data?.books.pageInfo,
        }}
        empty={pages.cursors.length === 1 && first.data?.books.nodes.length === 0}
        onMore={pages.loadAfter}
        emptyText={search ? `No book matches “${search}”.` : 'No books yet.'}
        endText={search ? 'That is every match.' : 'That is the whole catalogue.'}
      />
    </section>
  );
}
