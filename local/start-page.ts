import { demoAccounts } from './demo-accounts';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The page at `/` until the web app exists: where everything is and how to sign in. */
export function startPage(urls: { api: string; sesInbox: string }): string {
  const accounts = Object.values(demoAccounts)
    .map(
      (account) =>
        `<tr><td>${escape(account.name)}</td><td>${escape(account.email)}</td><td>${account.groups.join(', ')}</td><td>${'region' in account ? account.region : ''}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cascade training — local stack</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>Cascade training — local stack</h1>
<ul>
<li>API health: <a href="/api/health">${escape(urls.api)}/api/health</a></li>
<li>Regions: <a href="/api/regions">${escape(urls.api)}/api/regions</a></li>
<li>Published trainings: <a href="/api/trainings">${escape(urls.api)}/api/trainings</a></li>
<li>Email inbox (SES emulator): <a href="${escape(urls.sesInbox)}">${escape(urls.sesInbox)}</a></li>
</ul>
<h2>Demo accounts</h2>
<table><thead><tr><th>Name</th><th>Email</th><th>Groups</th><th>Region</th></tr></thead><tbody>${accounts}</tbody></table>
<p>Get a token: <code>curl -s -X POST ${escape(urls.api)}/api/local/token -H 'content-type: application/json' -d '{"email":"trainer.almaty@demo.kz","name":"Ерлан Әбенов","groups":["trainers"]}'</code>
and send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
</body></html>`;
}
