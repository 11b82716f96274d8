// GraphiQL's page with its assets bundled (no CDN): @graphql-yoga/render-graphiql holds the
// whole ~9 MB bundle in one module, so it is loaded on the first request for the page, and
// never in production, where GraphiQL is off by default.
import { createRequire } from 'node:module';
import type { GraphiQLOptions } from 'graphql-yoga';

type Render = (options?: GraphiQLOptions) => string;

let render: Render | null = null;

export function renderLocalGraphiQL(options?: GraphiQLOptions): string {
  if (render === null) {
    const require = createRequire(import.meta.url);
    render = (require('@graphql-yoga/render-graphiql') as { renderGraphiQL: Render }).renderGraphiQL;
  }
  return render(options);
}
