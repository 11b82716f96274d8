// The framework's ceiling on this machine: graphql-yoga on node:http answering an
// authenticated `me` from an in-memory map, with no database, no cookies plugin, no security
// plugins. What the service does per request is compared with this.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const users = new Map([['bench-token', { id: '1', email: 'ada@example.com', createdAt: new Date().toISOString() }]]);

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type User { id: ID! email: String! createdAt: String! } type Query { me: User }',
    resolvers: {
      Query: {
        me: (_root, _args, ctx: { request: Request }) => {
          const token = /(?:^|;\s*)session=([^;]+)/.exec(ctx.request.headers.get('cookie') ?? '')?.[1];
          return token ? (users.get(token) ?? null) : null;
        },
      },
    },
  }),
  logging: false,
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
