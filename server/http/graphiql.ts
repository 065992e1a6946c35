import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';

/** The page as Shelfwire shows it: subscriptions over SSE, so GraphiQL's headers apply to them. */
function renderPage(): { html: string; contentSecurityPolicy: string } {
  // Rendered from the npm-installed GraphiQL, no CDN: it works offline and loads only itself.
  const html = renderGraphiQL({ subscriptionsProtocol: 'SSE', title: 'Shelfwire' });
  const script = html.slice(
    html.indexOf('<script>') + '<script>'.length,
    html.lastIndexOf('</script>'),
  );
  const scriptHash = createHash('sha256').update(script).digest('base64');
  return {
    html,
    // Its one inline script is allowed by hash; its editors add styles at run time, load their
    // workers from blob: URLs and their icons as data: URLs.
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src 'sha256-${scriptHash}'`,
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      'font-src data:',
      "connect-src 'self'",
      'worker-src blob:',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

/**
 * GraphiQL at `GET /graphql` for browsers when GRAPHIQL allows it (by default outside
 * production), under a Content-Security-Policy of its own; otherwise that page is 404 and
 * `/graphql` answers GraphQL requests only.
 */
export function useGraphiQLPage(options: { enabled: boolean; endpoint: string }): Plugin {
  let page: ReturnType<typeof renderPage> | undefined;
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      const atEndpoint =
        url.pathname === options.endpoint || url.pathname === `${options.endpoint}/`;
      if (!atEndpoint || !shouldRenderGraphiQL(request)) return;
      if (!options.enabled) {
        if (url.searchParams.has('query')) return; // a GraphQL request from a browser's address bar
        endResponse(
          new fetchAPI.Response('GraphiQL is off on this server (GRAPHIQL).', {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
        return;
      }
      page ??= renderPage();
      endResponse(
        new fetchAPI.Response(page.html, {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': page.contentSecurityPolicy,
          },
        }),
      );
    },
  };
}
