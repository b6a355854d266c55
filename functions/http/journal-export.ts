import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalExportQuery } from '../../shared/schemas/journal';
import { exportJournal } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.exportJournal, { query: journalExportQuery }, async ({ principal, query }) => {
  const exported = await exportJournal(principal, query.format, query.lang ?? 'kk');
  // A journal is private writing: no shared cache keeps a copy.
  const headers = { 'cache-control': 'private, no-store' };
  if ('markdown' in exported) {
    return {
      status: 200,
      text: exported.markdown,
      headers: { ...headers, 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': 'attachment; filename="journal.md"' },
    };
  }
  return {
    status: 200,
    binary: exported.pdf,
    headers: { ...headers, 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="journal.pdf"' },
  };
});
