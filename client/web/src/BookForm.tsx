import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment } from '../../src/gql/graphql.ts';
import { describeError } from './describeError.ts';

const CreateBook = graphql(`
  mutation CreateBook($input: CreateBookInput!) {
    createBook(input: $input) {
      ...BookFields
    }
  }
`);

const UpdateBook = graphql(`
  mutation UpdateBook($id: ID!, $input: UpdateBookInput!) {
    updateBook(id: $id, input: $input) {
      ...BookFields
    }
  }
`);

/** Creates a book, or edits `book` when given. */
export function BookForm({ book, onDone }: { book?: BookFieldsFragment; onDone: () => void }) {
  const [title, setTitle] = useState(book?.title ?? '');
  const [author, setAuthor] = useState(book?.author ?? '');
  const [copies, setCopies] = useState(String(book?.copies ?? 1));
  const [isbn, setIsbn] = useState(book?.isbn ?? '');
  const [description, setDescription] = useState(book?.description ?? '');
  const [problem, setProblem] = useState<string>();
  const [{ fetching: creating }, createBook] = useMutation(CreateBook);
  const [{ fetching: updating }, updateBook] = useMutation(UpdateBook);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = {
      title,
      author,
      copies: Number(copies),
      isbn: isbn.trim() || null,
      description: description.trim() || null,
    };
    const result = book ? await updateBook({ id: book.id, input }) : await createBook({ input });
    if (result.error) return setProblem(describeError(result.error));
    setProblem(undefined);
    if (!book) {
      setTitle('');
      setAuthor('');
      setCopies('1');
      setIsbn('');
      setDescription('');
    }
    onDone();
  };

  return (
    <form
      className="book-form"
      aria-label={book ? `Edit ${book.title}` : 'New book'}
      onSubmit={submit}
    >
      <h3>{book ? `Edit “${book.title}”` : 'New book'}</h3>
      <label>
        Title
        <input required value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label>
        Author
        <input required value={author} onChange={(event) => setAuthor(event.target.value)} />
      </label>
      <label>
        Copies
        <input
          type="number"
          min={0}
          required
          value={copies}
          onChange={(event) => setCopies(event.target.value)}
        />
      </label>
      <label>
        ISBN
        <input value={isbn} onChange={(event) => setIsbn(event.target.value)} />
      </label>
      <label>
        Description
        <textarea value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      <div>
        <button type="submit" disabled={creating || updating}>
          {book ? 'Save' : 'Create'}
        </button>
        {book && (
          <button type="button" onClick={onDone}>
            Cancel edit
          </button>
        )}
      </div>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
