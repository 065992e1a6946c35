import { parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { variablesShapingResults } from './resultVariables.ts';

const shaping = (query: string, operationName?: string) => [
  ...variablesShapingResults(parse(query), operationName),
];

describe('variablesShapingResults', () => {
  test("the root field's own arguments (id, after) do not shape a result", () => {
    expect(
      shaping(
        'subscription ($id: ID, $after: String) { bookChanged(id: $id, after: $after) { cursor book { title } } }',
      ),
    ).toEqual([]);
  });

  test('any other argument of the root field does: it might shape the result', () => {
    expect(
      shaping(
        'subscription ($after: String, $x: Int) { bookChanged(after: $after, other: $x) { cursor } }',
      ),
    ).toEqual(['x']);
  });

  test('variables below the root field, in directives and through fragments do', () => {
    expect(
      shaping(`subscription ($after: String, $withBook: Boolean!, $skipId: Boolean!, $live: Boolean!) {
        bookChanged(after: $after) @include(if: $live) {
          cursor
          book @include(if: $withBook) { ...Parts }
        }
      }
      fragment Parts on Book { id @skip(if: $skipId) title }`).sort(),
    ).toEqual(['live', 'skipId', 'withBook']);
  });

  test('a root fragment is followed, for the named operation only', () => {
    const query = `
      subscription A ($a: Boolean!) { ...Root }
      subscription B ($after: String) { bookChanged(after: $after) { cursor } }
      fragment Root on Subscription { bookChanged { book { title @include(if: $a) } } }`;
    expect(shaping(query, 'A')).toEqual(['a']);
    expect(shaping(query, 'B')).toEqual([]);
  });
});
