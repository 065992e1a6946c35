import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment, CurrentViewerQuery } from '../../src/gql/graphql.ts';
import { BookingForm } from './BookingForm.tsx';
import { describeError } from './describeError.ts';

type Viewer = NonNullable<CurrentViewerQuery['viewer']>;

const DeleteBook = graphql(`
  mutation DeleteBook($id: ID!) {
    deleteBook(id: $id)
  }
`);

/** One book of the catalogue; its actions' errors and outcomes are shown with it. */
export function BookItem({
  book,
  viewer,
  onEdit,
}: {
  book: BookFieldsFragment;
  viewer: Viewer | null;
  onEdit: (book: BookFieldsFragment) => void;
}) {
  const [booking, setBooking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [{ fetching: deleting }, deleteBook] = useMutation(DeleteBook);
  const isAdmin = viewer?.role === 'admin';

  const remove = async () => {
    setNotice(undefined);
    const result = await deleteBook({ id: book.id });
    setProblem(result.error && describeError(result.error));
  };

  return (
    <li aria-label={book.title}>
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
            aria-expanded={booking}
            disabled={book.available === 0 && !booking}
            onClick={() => (setBooking(!booking), setNotice(undefined), setProblem(undefined))}
          >
            Book a copy
          </button>
        )}
        {isAdmin && (
          <>
            <button type="button" onClick={() => onEdit(book)}>
              Edit
            </button>
            <button type="button" disabled={deleting} onClick={() => void remove()}>
              Delete
            </button>
          </>
        )}
      </span>
      {booking && (
        <BookingForm
          book={book}
          onCancel={() => setBooking(false)}
          onBooked={(range) => {
            setBooking(false);
            // What happens next is told as it happens (Notifications): no state to go stale here.
            setNotice(`Booked ${range}. You will be told when a librarian confirms it.`);
          }}
        />
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
    </li>
  );
}
