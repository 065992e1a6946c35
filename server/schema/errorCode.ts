import { errorCodes } from '../errors.ts';
import { builder } from './builder.ts';

// Not the type of any field: published so clients can generate the codes they may get.
builder.enumType('ErrorCode', {
  description: 'The `extensions.code` of every error a client can get.',
  values: Object.fromEntries(
    Object.entries(errorCodes).map(([code, description]) => [code, { description }]),
  ),
});
