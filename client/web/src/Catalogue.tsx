import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { BookForm } from './BookForm.tsx';
import { describeError } from './describeError.ts';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

const CatalogueBooks = graphql(`
  query CatalogueBooks($first: Int) {
    books(first: $first) {
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

const DeleteBook = graphql(`
  mutation DeleteBook($id: ID!) {
    deleteBook(id: $id)
  }
`);

const BookCopy = graphql(`
  mutation BookCopy($input: CreateBookingInput!) {
    createBooking(input: $input) {
      ...BookingFields
    }
  }
`);

const loanDays = 14;

/** The books, live: admins edit them, signed-in readers book a copy. */
export function Catalogue({ viewer }: { viewer: Viewer | null }) {
  const [{ data, error, fetching }] = useQuery({
    query: CatalogueBooks,
    variables: { first: 100 },
  });
  const [editing, setEditing] = useState<BookFieldsFragment>();
  const [problem, setProblem] = useState<string>();
  const [, deleteBook] = useMutation(DeleteBook);
  const [, bookCopy] = useMutation(BookCopy);
  const isAdmin = viewer?.role === 'admin';

  const remove = async (book: BookFieldsFragment) => {
    const result = await deleteBook({ id: book.id });
    setProblem(result.error && describeError(result.error));
  };
  const borrow = async (book: BookFieldsFragment) => {
    const startsAt = new Date();
    const endsAt = new Date(startsAt.getTime() + loanDays * 86_400_000);
    const result = await bookCopy({
      input: { bookId: book.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    });
    setProblem(result.error && describeError(result.error));
  };

  return (
    <section aria-labelledby="catalogue-title">
      <h2 id="catalogue-title">Catalogue</h2>
      {isAdmin && (
        <BookForm key={editing?.id ?? 'new'} book={editing} onDone={() => setEditing(undefined)} />
      )}
      {problem && <p role="alert">{problem}</p>}
      {error && <p role="alert">{describeError(error)}</p>}
      {fetching && !data && <p>Loading…</p>}
      <ul className="books" aria-label="Books">
        {data?.books.nodes.map((book) => (
          <li key={book.id} aria-label={book.title}>
            <div>
              <strong className="title">{book.title}</strong>{' '}
              <span className="author">{book.author}</span>
              {book.isbn && <small> · ISBN {book.isbn}</small>}
              {book.description && <p className="description">{book.description}</p>}
            </div>
            <span className={book.available > 0 ? 'available' : 'available none'}>
              {book.available} of {book.copies} available
            </span>
            <span className="actions">
              {viewer && (
                <button
                  type="button"
                  disabled={book.available === 0}
                  onClick={() => void borrow(book)}
                >
                  Book a copy
                </button>
              )}
              {isAdmin && (
                <>
                  <button type="button" onClick={() => setEditing(book)}>
                    Edit
                  </button>
                  <button type="button" onClick={() => void remove(book)}>
                    Delete
                  </button>
                </>
              )}
            </span>
          </li>
        ))}
      </ul>
      {data?.books.nodes.length === 0 && <p>No books yet.</p>}
    </section>
  );
}
