import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../src/index.ts';
import type { BookFieldsFragment } from '../../src/gql/graphql.ts';
import { formProblem } from './describeError.ts';
import { FieldError } from './FieldError.tsx';

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

type Field = 'title' | 'author' | 'copies' | 'isbn' | 'description';
const fields: Record<string, Field> = {
  'input.title': 'title',
  'input.author': 'author',
  'input.copies': 'copies',
  'input.isbn': 'isbn',
  'input.description': 'description',
};
const labels: Record<Field, string> = {
  title: 'Title',
  author: 'Author',
  copies: 'Copies',
  isbn: 'ISBN',
  description: 'Description',
};

/** Creates a book (then tells `onDone` which), or edits `book` when given. */
export function BookForm({
  book,
  onDone,
  onFailed,
}: {
  book?: BookFieldsFragment;
  onDone: (saved?: BookFieldsFragment) => void;
  /** Called when a save fails: whatever the last success said is out of date. */
  onFailed?: () => void;
}) {
  const initial: Record<Field, string> = {
    title: book?.title ?? '',
    author: book?.author ?? '',
    copies: String(book?.copies ?? 1),
    isbn: book?.isbn ?? '',
    description: book?.description ?? '',
  };
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<Partial<Record<Field | 'form', string>>>({});
  const [{ fetching: creating }, createBook] = useMutation(CreateBook);
  const [{ fetching: updating }, updateBook] = useMutation(UpdateBook);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = {
      title: values.title,
      author: values.author,
      copies: Number(values.copies),
      isbn: values.isbn.trim() || null,
      description: values.description.trim() || null,
    };
    const result = book ? await updateBook({ id: book.id, input }) : await createBook({ input });
    if (result.error) {
      onFailed?.();
      const problem = formProblem(result.error, fields);
      return setProblems({ [problem.field ?? 'form']: problem.message });
    }
    setProblems({});
    const data = result.data;
    const saved = data && ('createBook' in data ? data.createBook : data.updateBook);
    if (!book) setValues({ title: '', author: '', copies: '1', isbn: '', description: '' });
    onDone(saved);
  };

  const id = `book-form-${book?.id ?? 'new'}`;
  const input = (field: Field, props: { required?: boolean; type?: string; min?: number }) => {
    const shared = {
      ...props,
      value: values[field],
      'aria-invalid': Boolean(problems[field]),
      'aria-describedby': `${id}-${field}`,
      onChange: (event: { target: { value: string } }) =>
        setValues({ ...values, [field]: event.target.value }),
    };
    return (
      <label>
        {labels[field]}
        {field === 'description' ? <textarea {...shared} /> : <input {...shared} />}
        <FieldError id={`${id}-${field}`} message={problems[field]} />
      </label>
    );
  };

  return (
    <form
      className="book-form"
      aria-label={book ? `Edit ${book.title}` : 'New book'}
      onSubmit={submit}
    >
      <h3>{book ? `Edit “${book.title}”` : 'New book'}</h3>
      {input('title', { required: true })}
      {input('author', { required: true })}
      {input('copies', { required: true, type: 'number', min: 0 })}
      {input('isbn', {})}
      {input('description', {})}
      <div>
        <button type="submit" disabled={creating || updating}>
          {book ? 'Save' : 'Create'}
        </button>
        {book && (
          <button type="button" onClick={() => onDone()}>
            Cancel edit
          </button>
        )}
      </div>
      {problems.form && <p role="alert">{problems.form}</p>}
    </form>
  );
}
