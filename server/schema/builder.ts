import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { DomainError, forbidden, unauthenticated } from '../errors.ts';
import { decodeGlobalId, encodeGlobalId } from './globalId.ts';

/** `nodes(ids:)` fetches at most this many objects at once. */
export const maxNodeIds = 100;

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { signedIn: boolean; admin: boolean };
  Scalars: { DateTime: { Input: Date; Output: Date | string } };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      signedIn: context.viewer !== null,
      admin: context.viewer?.role === 'admin',
    }),
    unauthorizedError: (_parent, context) =>
      context.viewer ? forbidden('this needs an admin') : unauthenticated(),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: (globalId) => decodeGlobalId(globalId, 'id'),
    nodesOnConnection: true,
    nodesQueryOptions: {
      args: {
        ids: { validate: z.array(z.unknown()).max(maxNodeIds, `at most ${maxNodeIds} ids`) },
      },
    },
  },
  validation: {
    validationError: (failure) => {
      const issue = failure.issues[0];
      const field = (issue?.path ?? [])
        .map((segment) => (typeof segment === 'object' ? segment.key : segment))
        .join('.');
      return new DomainError('BAD_USER_INPUT', `${field}: ${issue?.message ?? 'invalid'}`, {
        field,
      });
    },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
