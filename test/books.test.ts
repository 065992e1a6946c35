import { beforeAll, describe, expect, test } from 'vitest';
import { errorCode, gql, gqlOk, serverPerFile, tokenFor } from './support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
});

const createBook = `mutation ($input: CreateBookInput!) {
  createBook(input: $input) { id title author description isbn copies available createdAt updatedAt }
}`;

const newBook = (overrides: Record<string, unknown> = {}) => ({
  title: 'The Left Hand of Darkness',
  author: 'Ursula K. Le Guin',
  copies: 3,
  ...overrides,
});

describe('books', () => {
  test('an admin creates a book and anyone reads it back by id and in the list', async () => {
    const { createBook: book } = await gqlOk(
      fixture.server,
      createBook,
      {
        input: newBook({ isbn: '0-306-40615-2', description: 'A winter planet.' }),
      },
      admin,
    );
    expect(book).toMatchObject({
      title: 'The Left Hand of Darkness',
      isbn: '9780306406157',
      copies: 3,
      available: 3,
      description: 'A winter planet.',
    });
    expect(new Date(book.createdAt).getTime()).not.toBeNaN();

    const { book: read } = await gqlOk(
      fixture.server,
      'query ($id: ID!) { book(id: $id) { id title } }',
      {
        id: book.id,
      },
    );
    expect(read).toEqual({ id: book.id, title: book.title });
    const { node } = await gqlOk(
      fixture.server,
      'query ($id: ID!) { node(id: $id) { ... on Book { title } } }',
      { id: book.id },
    );
    expect(node).toEqual({ title: book.title });
  });

  test('the list pages forward with first/after and filters by search', async () => {
    const titles = ['Paging A', 'Paging B', 'Paging C'];
    for (const title of titles)
      await gqlOk(
        fixture.server,
        createBook,
        { input: newBook({ title, author: 'Pager' }) },
        admin,
      );
    const query = `query ($after: String) { books(first: 2, after: $after, search: "pager") {
      edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }`;
    const first = await gqlOk(fixture.server, query);
    expect(first.books.edges.map((edge: any) => edge.node.title)).toEqual(['Paging A', 'Paging B']);
    expect(first.books.pageInfo.hasNextPage).toBe(true);
    const second = await gqlOk(fixture.server, query, { after: first.books.pageInfo.endCursor });
    expect(second.books.edges.map((edge: any) => edge.node.title)).toEqual(['Paging C']);
    expect(second.books.pageInfo.hasNextPage).toBe(false);
    expect(errorCode(await gql(fixture.server, query, { after: 'garbage' }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  test('an admin updates some fields and leaves the others alone', async () => {
    const { createBook: book } = await gqlOk(
      fixture.server,
      createBook,
      { input: newBook({ description: 'old' }) },
      admin,
    );
    const { updateBook } = await gqlOk(
      fixture.server,
      `mutation ($id: ID!, $input: UpdateBookInput!) { updateBook(id: $id, input: $input) { title author description copies updatedAt } }`,
      { id: book.id, input: { copies: 5, description: null } },
      admin,
    );
    expect(updateBook).toMatchObject({
      title: book.title,
      author: book.author,
      description: null,
      copies: 5,
    });
    expect(new Date(updateBook.updatedAt) >= new Date(book.updatedAt)).toBe(true);
  });

  test('an admin deletes a book; it is gone afterwards', async () => {
    const { createBook: book } = await gqlOk(
      fixture.server,
      createBook,
      { input: newBook() },
      admin,
    );
    const { deleteBook } = await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { deleteBook(id: $id) }',
      { id: book.id },
      admin,
    );
    expect(deleteBook).toBe(book.id);
    expect(
      (await gqlOk(fixture.server, 'query ($id: ID!) { book(id: $id) { id } }', { id: book.id }))
        .book,
    ).toBeNull();
    const again = await gql(
      fixture.server,
      'mutation ($id: ID!) { deleteBook(id: $id) }',
      { id: book.id },
      admin,
    );
    expect(errorCode(again)).toBe('NOT_FOUND');
  });

  test('a book with an active booking cannot be deleted', async () => {
    const { createBook: book } = await gqlOk(
      fixture.server,
      createBook,
      { input: newBook() },
      admin,
    );
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId: book.id, startsAt, endsAt } },
      alice,
    );
    const result = await gql(
      fixture.server,
      'mutation ($id: ID!) { deleteBook(id: $id) }',
      { id: book.id },
      admin,
    );
    expect(errorCode(result)).toBe('BOOK_HAS_ACTIVE_BOOKINGS');
    expect(
      (await gqlOk(fixture.server, 'query ($id: ID!) { book(id: $id) { id } }', { id: book.id }))
        .book,
    ).not.toBeNull();
  });
});

describe('book input is validated, field by field', () => {
  test.each([
    ['input.title', 'empty', { title: '' }],
    ['input.title', '301 characters', { title: 'x'.repeat(301) }],
    ['input.author', 'blank', { author: '   ' }],
    ['input.author', '201 characters', { author: 'x'.repeat(201) }],
    ['input.description', '20,001 characters', { description: 'x'.repeat(20_001) }],
    ['input.isbn', 'a wrong check digit', { isbn: '978-0-306-40615-8' }],
    ['input.copies', '-1', { copies: -1 }],
    ['input.copies', '10,001', { copies: 10_001 }],
  ])(
    '%s %s is refused with BAD_USER_INPUT and nothing is written',
    async (field, _what, overrides) => {
      const before = await fixture.database.sql.query('SELECT count(*)::int AS n FROM books');
      const result = await gql(fixture.server, createBook, { input: newBook(overrides) }, admin);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
      const after = await fixture.database.sql.query('SELECT count(*)::int AS n FROM books');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    },
  );

  test('a second book with the same ISBN (in either form) is refused', async () => {
    await gqlOk(
      fixture.server,
      createBook,
      { input: newBook({ isbn: '978-0-8044-2957-3' }) },
      admin,
    );
    const result = await gql(
      fixture.server,
      createBook,
      { input: newBook({ isbn: '080442957X' }) },
      admin,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe('input.isbn');
  });

  test('an ID of the wrong type or shape is BAD_USER_INPUT', async () => {
    for (const id of [
      'nonsense',
      Buffer.from('Booking:00000000-0000-0000-0000-000000000000').toString('base64url'),
    ]) {
      const result = await gql(fixture.server, 'query ($id: ID!) { book(id: $id) { id } }', { id });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('who may write books', () => {
  test.each([
    ['anonymous', undefined, 'UNAUTHENTICATED'],
    ['a user', 'user', 'FORBIDDEN'],
  ] as const)('%s cannot create, update or delete books', async (_who, role, code) => {
    const token = role ? await tokenFor('mallory', role) : undefined;
    const { createBook: book } = await gqlOk(
      fixture.server,
      createBook,
      { input: newBook() },
      admin,
    );
    expect(errorCode(await gql(fixture.server, createBook, { input: newBook() }, token))).toBe(
      code,
    );
    expect(
      errorCode(
        await gql(
          fixture.server,
          'mutation ($id: ID!) { updateBook(id: $id, input: { copies: 1 }) { id } }',
          { id: book.id },
          token,
        ),
      ),
    ).toBe(code);
    expect(
      errorCode(
        await gql(
          fixture.server,
          'mutation ($id: ID!) { deleteBook(id: $id) }',
          { id: book.id },
          token,
        ),
      ),
    ).toBe(code);
  });

  test('a forged, expired or malformed token is refused with 401 UNAUTHENTICATED', async () => {
    const { signToken } = await import('../server/auth/jwt.ts');
    const forged = await signToken('another-secret', { sub: 'root', role: 'admin' });
    // Expired by more than the allowed clock skew (30 s).
    const expired = await tokenFor('root', 'admin', '-2m');
    for (const token of [forged, expired, 'not.a.jwt']) {
      const result = await gql(fixture.server, '{ viewer { userId } }', {}, token);
      expect(result.status).toBe(401);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
    }
  });

  test('viewer shows who the token belongs to', async () => {
    expect((await gqlOk(fixture.server, '{ viewer { userId role } }', {}, alice)).viewer).toEqual({
      userId: 'alice',
      role: 'user',
    });
    expect((await gqlOk(fixture.server, '{ viewer { userId } }')).viewer).toBeNull();
  });
});
