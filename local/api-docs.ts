import type { LocalRoute } from './gateway';

/**
 * GET /api/docs, locally only: a self-contained page that reads GET /api/openapi.json and lists
 * every operation by tag with its roles, parameters, body and responses. No viewer from a CDN
 * (there is none offline) and no npm package: the page is this file.
 */
export function apiDocsRoute(): LocalRoute {
  return { method: 'GET', path: '/api/docs', handle: async () => ({ status: 200, html: page }) };
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API — cascade training platform</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; color: #1d2733; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; }
  h2 { margin-top: 2.2rem; border-bottom: 1px solid #d6dde5; text-transform: capitalize; }
  details { border: 1px solid #d6dde5; border-radius: 6px; margin: .4rem 0; }
  summary { cursor: pointer; padding: .45rem .7rem; display: flex; gap: .7rem; align-items: baseline; }
  .method { font: 600 .8rem ui-monospace, monospace; min-width: 4.2rem; text-align: center; border-radius: 4px; padding: .1rem .3rem; color: #fff; }
  .get { background: #2d6fb8; } .post { background: #2f8a4c; } .put { background: #a76c12; } .patch { background: #7a4fb5; } .delete { background: #b83b3b; }
  .path { font-family: ui-monospace, monospace; }
  .roles { margin-left: auto; color: #5b6b7c; font-size: .85rem; }
  .body { padding: 0 1rem 1rem; }
  table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
  td, th { text-align: left; border-top: 1px solid #e6ebf0; padding: .25rem .4rem; vertical-align: top; }
  pre { background: #f5f7fa; padding: .6rem; overflow: auto; max-height: 24rem; font-size: .8rem; }
  a { color: #2d6fb8; }
  #filter { width: 100%; padding: .5rem; font-size: 1rem; margin: .6rem 0; }
</style>
</head>
<body>
<h1 id="title">API</h1>
<p id="about"></p>
<p><a href="/api/openapi.json">openapi.json</a> · <a href="#components">components</a></p>
<input id="filter" placeholder="Filter by path, operationId or role" aria-label="Filter operations">
<main id="operations">Loading /api/openapi.json…</main>
<h2 id="components">Components</h2>
<div id="schemas"></div>
<script type="module">
  const doc = await (await fetch('/api/openapi.json')).json();
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  };
  // $refs become links to the component they name.
  const json = (value) => {
    const pre = el('pre');
    const text = JSON.stringify(value, null, 2);
    let last = 0;
    for (const match of text.matchAll(/"#\\/components\\/(schemas|responses)\\/([\\w]+)"/g)) {
      pre.append(text.slice(last, match.index));
      pre.append(el('a', { href: '#' + match[1] + '-' + match[2] }, match[0]));
      last = match.index + match[0].length;
    }
    pre.append(text.slice(last));
    return pre;
  };
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('about').textContent = doc.info.description;
  const main = document.getElementById('operations');
  main.textContent = '';
  const rows = [];
  for (const tag of doc.tags) {
    main.append(el('h2', { id: 'tag-' + tag.name }, tag.name), el('p', {}, tag.description));
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.tags.includes(tag.name)) continue;
        const roles = op['x-roles'] ? op['x-roles'].join(', ') : 'public';
        const body = el('div', { class: 'body' }, el('p', {}, op.summary + ' — ' + op.description + ' (operationId ', el('code', {}, op.operationId), ')'));
        if (op.parameters) {
          const table = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'required'), el('th', {}, 'schema')));
          for (const p of op.parameters) table.append(el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, p.in), el('td', {}, p.required ? 'yes' : ''), el('td', {}, json(p.schema))));
          body.append(table);
        }
        if (op.requestBody) {
          body.append(el('h4', {}, 'Request body' + (op.requestBody.required ? '' : ' (optional)')));
          for (const [type, content] of Object.entries(op.requestBody.content)) body.append(el('p', {}, el('code', {}, type)), json(content.schema));
        }
        body.append(el('h4', {}, 'Responses'));
        for (const [status, response] of Object.entries(op.responses)) {
          const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
          body.append(el('p', {}, el('strong', {}, status), ' ' + resolved.description));
          for (const [type, content] of Object.entries(resolved.content ?? {})) body.append(el('p', {}, el('code', {}, type)), json(content.schema));
        }
        const item = el('details', { id: 'op-' + op.operationId },
          el('summary', {}, el('span', { class: 'method ' + method }, method.toUpperCase()), el('span', { class: 'path' }, path), el('span', {}, op.summary), el('span', { class: 'roles' }, roles)),
          body);
        rows.push({ item, text: (path + ' ' + op.operationId + ' ' + roles).toLowerCase() });
        main.append(item);
      }
    }
  }
  document.getElementById('filter').addEventListener('input', (event) => {
    const wanted = event.target.value.toLowerCase();
    for (const row of rows) row.item.hidden = !row.text.includes(wanted);
  });
  const schemas = document.getElementById('schemas');
  for (const kind of ['schemas', 'responses']) {
    for (const [name, value] of Object.entries(doc.components[kind])) {
      schemas.append(el('h3', { id: kind + '-' + name }, name), json(value));
    }
  }
</script>
</body>
</html>
`;
