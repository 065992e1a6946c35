import type { Viewer as ViewerShape } from '../auth/jwt.ts';
import { builder } from './builder.ts';

const Role = builder.enumType('Role', { values: ['admin', 'user'] as const });

const Viewer = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'Who the request is signed in as.',
  fields: (t) => ({
    userId: t.exposeString('id'),
    role: t.expose('role', { type: Role }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    nullable: true,
    description: 'The signed-in user; null for anonymous requests.',
    resolve: (_root, _args, context) => context.viewer,
  }),
);
