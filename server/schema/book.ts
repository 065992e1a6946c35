import { resolveCursorConnection } from '@pothos/plugin-relay';
import ISBN from 'isbn3';
import { z } from 'zod';
import { inTransaction } from '../db/pool.ts';
import {
  type BookFields,
  type BookRow,
  deleteBook,
  insertBook,
  listBooks,
  updateBook,
} from '../data/books.ts';
import { assertCopiesCoverBookings } from '../data/bookings.ts';
import { encodePageCursor } from '../data/pageCursor.ts';
import { builder } from './builder.ts';
import { encodeGlobalId, idOf } from './globalId.ts';
import { forwardPage, pageKeyOf } from './pagination.ts';

export const entityVersionDescription =
  'Counts its changes, from 1: a change (`BookChange.version`) with a smaller version is older ' +
  'than what this object shows.';

export const Book = builder.node(builder.objectRef<BookRow>('Book'), {
  description: 'A title in the catalogue, with the number of copies that can be lent.',
  id: { resolve: (book) => book.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.book.load(id))),
  fields: (t) => ({
    title: t.exposeString('title'),
    author: t.exposeString('author'),
    description: t.exposeString('description', { nullable: true }),
    isbn: t.exposeString('isbn', { nullable: true, description: 'ISBN-13, hyphens removed.' }),
    copies: t.exposeInt('copies'),
    available: t.exposeInt('available', {
      description: 'Copies not held by an active (pending or confirmed) booking right now.',
    }),
    version: t.exposeInt('version', { description: entityVersionDescription }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

/** Postgres text cannot hold a NUL byte; refused here with the field's name, before any SQL. */
const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((value) => !value.includes('\0'), 'must not contain NUL bytes');
export const nonBlank = (max: number) =>
  text(max).refine((value) => value.trim() !== '', 'must not be blank');
const isbn = text(20).refine((text) => ISBN.parse(text) !== null, 'not a valid ISBN-10 or ISBN-13');
const copies = z.number().int().min(0, 'at least 0').max(10000, 'at most 10000');
const description = text(20000);
export const maxSearchLength = 200;

const CreateBookInput = builder.inputType('CreateBookInput', {
  fields: (t) => ({
    title: t.string({ required: true, validate: nonBlank(300) }),
    author: t.string({ required: true, validate: nonBlank(200) }),
    description: t.string({ validate: description }),
    isbn: t.string({ validate: isbn, description: 'ISBN-10 or ISBN-13; stored as ISBN-13.' }),
    copies: t.int({ required: true, validate: copies }),
  }),
});

const UpdateBookInput = builder.inputType('UpdateBookInput', {
  description:
    'Fields left out keep their value; `description` and `isbn` set to null are cleared.',
  fields: (t) => ({
    title: t.string({ validate: nonBlank(300) }),
    author: t.string({ validate: nonBlank(200) }),
    description: t.string({ validate: description }),
    isbn: t.string({ validate: isbn }),
    copies: t.int({ validate: copies }),
  }),
});

const normalizeIsbn = (text: string | null | undefined) =>
  text == null ? null : ISBN.parse(text)!.isbn13!;

builder.queryFields((t) => ({
  books: t.connection({
    type: Book,
    description: 'The catalogue in the order books were added; `search` matches title or author.',
    args: { search: t.arg.string({ validate: text(maxSearchLength) }) },
    resolve: (_root, args, context) =>
      resolveCursorConnection<Promise<(BookRow & { created_micros: string })[]>>(
        {
          args,
          maxSize: 100,
          defaultSize: 20,
          toCursor: (book: BookRow & { created_micros: string }) =>
            encodePageCursor(pageKeyOf(book)),
        },
        (page) =>
          listBooks(context.db, {
            ...forwardPage(page),
            search: args.search ?? undefined,
          }),
      ),
  }),
  book: t.field({
    type: Book,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      context.loaders.book.load(idOf(String(args.id), 'Book', 'id')),
  }),
}));

builder.mutationFields((t) => ({
  createBook: t.field({
    type: Book,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateBookInput, required: true }) },
    resolve: (_root, { input }, context) =>
      inTransaction(context.db, (client) =>
        insertBook(client, {
          title: input.title,
          author: input.author,
          description: input.description ?? null,
          isbn: normalizeIsbn(input.isbn),
          copies: input.copies,
        }),
      ),
  }),
  updateBook: t.field({
    type: Book,
    authScopes: { admin: true },
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateBookInput, required: true }),
    },
    resolve: (_root, args, context) => {
      const id = idOf(String(args.id), 'Book', 'id');
      const input = args.input;
      const changes: Partial<BookFields> = {};
      // title, author and copies cannot be null; leaving them out and passing null both mean "keep".
      if (input.title != null) changes.title = input.title;
      if (input.author != null) changes.author = input.author;
      if (input.copies != null) changes.copies = input.copies;
      if (input.description !== undefined) changes.description = input.description;
      if (input.isbn !== undefined) changes.isbn = normalizeIsbn(input.isbn);
      return inTransaction(context.db, async (client) => {
        if (changes.copies !== undefined) {
          await assertCopiesCoverBookings(client, id, changes.copies);
        }
        return updateBook(client, id, changes);
      });
    },
  }),
  deleteBook: t.field({
    type: 'ID',
    description: 'Deletes a book with no active booking; returns its ID.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const id = idOf(String(args.id), 'Book', 'id');
      await inTransaction(context.db, (client) => deleteBook(client, id));
      return encodeGlobalId('Book', id);
    },
  }),
}));
