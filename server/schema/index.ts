// The whole schema: each import below adds its types and fields to the builder.
import { builder } from './builder.ts';
import './book.ts';
import './booking.ts';
import './viewer.ts';
import './subscriptions.ts';
import './errorCode.ts';

export const schema = builder.toSchema({ sortSchema: false });
