import { defineRoute } from '../../shared/http/route';
import { exportJournalRequest } from '../../shared/api/journal';
import { exportJournalRoute } from '../../shared/manifest';
import { exportJournal } from '../../shared/usecases/journal';

export const handler = defineRoute(exportJournalRoute, exportJournalRequest, async ({ principal, query }) => {
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
