import { CombinedError } from '@urql/core';
import { expect, test } from 'vitest';
import { describeError, formProblem } from './describeError.ts';

const apiError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [{ message, extensions }] });

test("a field error lands on the form's own field, in words, without the API's field prefix", () => {
  const error = apiError('input.isbn: another book already has this ISBN', {
    code: 'BAD_USER_INPUT',
    field: 'input.isbn',
  });
  expect(formProblem(error, { 'input.isbn': 'isbn' })).toEqual({
    field: 'isbn',
    message: 'Another book already has this ISBN',
  });
  // A field the form does not have: the problem belongs to the whole form.
  expect(formProblem(error, {}).field).toBeUndefined();
});

test('limits and domain refusals are told in words', () => {
  expect(
    describeError(
      apiError('Limit reached: at most 20 active bookings per user.', {
        code: 'LIMIT_EXCEEDED',
        limit: 20,
      }),
    ),
  ).toBe('Limit reached: at most 20 active bookings per user.');
  expect(
    describeError(
      apiError('Too many mutations: retry in 12 s.', {
        code: 'RATE_LIMITED',
        retryAfterSeconds: 12,
      }),
    ),
  ).toBe('Too many changes in a short time: try again in 12 s.');
  expect(describeError(apiError('Not allowed: admins only.', { code: 'FORBIDDEN' }))).toBe(
    'You are not allowed to do that.',
  );
});
