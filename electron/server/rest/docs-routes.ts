// GET /v1/openapi.json and GET /docs: the API described (openapi.ts) and shown as a page that
// works offline: one HTML file with its script and styles inline, no CDN, nothing to install.
import crypto from 'node:crypto';
import { sendJson } from './http.js';
import { buildOpenApi } from './openapi.js';
import type { Route } from './router.js';

/** Renders the document: each path's operations, parameters, request schemas and responses. */
const SCRIPT = `
const el = (tag, attrs, ...kids) => { const n = document.createElement(tag); Object.assign(n, attrs || {}); n.append(...kids); return n; };
const resolve = (doc, node) => node && node.$ref ? node.$ref.slice(2).split('/').reduce((o, k) => o[k], doc) : node;
fetch('/v1/openapi.json').then((r) => r.json()).then((doc) => {
  const main = document.querySelector('main');
  main.replaceChildren(el('h1', {}, doc.info.title + ' ', el('small', {}, doc.info.version + ' · OpenAPI ' + doc.openapi)), el('p', {}, doc.info.description || ''));
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = el('div', { className: 'body' });
      for (const p of op.parameters || []) body.append(el('p', {}, el('code', {}, p.in + ' ' + p.name), p.required ? ' (required)' : ''));
      const content = op.requestBody && op.requestBody.content['application/json'];
      if (content) {
        const schemas = content.schema.oneOf || [content.schema];
        for (const s of schemas) body.append(el('h4', {}, 'Body' + (s.$ref ? ': ' + s.$ref.split('/').pop() : '')), el('pre', {}, JSON.stringify(resolve(doc, s), null, 2)));
      }
      for (const [status, r] of Object.entries(op.responses)) body.append(el('p', {}, el('code', {}, status), ' ' + r.description + ' ' + Object.keys(r.content || {}).join(', ')));
      body.append(el('p', { className: 'auth' }, op.security && op.security.length ? 'Needs: ' + op.security.map((s) => Object.keys(s)[0]).join(' or ') : 'No credential needed'));
      const summary = el('summary', {}, el('span', { className: 'method ' + method }, method.toUpperCase()), ' ', el('code', {}, path), ' ', el('span', { className: 'sum' }, op.summary));
      main.append(el('details', {}, summary, body));
    }
  }
  main.append(el('h2', {}, 'Schemas'));
  for (const [name, schema] of Object.entries(doc.components.schemas)) main.append(el('details', {}, el('summary', {}, name), el('pre', {}, JSON.stringify(schema, null, 2))));
}).catch((err) => { document.querySelector('main').textContent = 'Could not read /v1/openapi.json: ' + err; });
`;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; background: #f7f7f8; color: #1c1c1e; }
main { max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
small { color: #6b6b70; font-weight: normal; font-size: .6em; }
details { background: #fff; border: 1px solid #dcdce0; border-radius: 6px; margin: .4rem 0; }
summary { cursor: pointer; padding: .5rem .75rem; }
.body { padding: 0 .75rem .75rem; }
.method { display: inline-block; min-width: 4.2rem; text-align: center; border-radius: 4px; color: #fff; font-weight: 600; font-size: .8em; padding: .1rem .3rem; }
.get { background: #2f6fdb; } .post { background: #1f8f4e; } .patch { background: #b07200; } .delete { background: #c62f2f; }
.sum { color: #55555a; } .auth { color: #6b6b70; font-size: .9em; }
pre { background: #f1f1f4; padding: .6rem; overflow: auto; border-radius: 4px; font-size: 12px; }
@media (prefers-color-scheme: dark) { body { background: #161618; color: #e8e8ea; } details { background: #1f1f22; border-color: #333338; } pre { background: #26262a; } .sum, .auth, small { color: #a0a0a8; } }
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MACS API</title><style>${STYLE}</style></head>
<body><main><p>Reading /v1/openapi.json …</p></main><script>${SCRIPT}</script></body></html>
`;

/** The page may run its own script (by hash) and read this server, nothing else. */
const CSP = `default-src 'none'; script-src 'sha256-${crypto.createHash('sha256').update(SCRIPT).digest('base64')}'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** routes(): every route of the API, these two included (read when asked: the table is the source). */
export function docsRoutes(routes: () => readonly Route[]): Route[] {
  let document: ReturnType<typeof buildOpenApi> | null = null;
  return [
    {
      method: 'GET',
      pattern: '/v1/openapi.json',
      // Like FastAPI's /openapi.json: the API's shape is no secret (no task data in it).
      access: 'public',
      async handle({ res }) {
        document ??= buildOpenApi(routes());
        sendJson(res, 200, document);
      },
    },
    {
      method: 'GET',
      pattern: '/docs',
      access: 'public',
      async handle({ res }) {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' })
          .end(PAGE);
      },
    },
  ];
}
