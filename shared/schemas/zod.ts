/**
 * zod for every runtime schema: its mini build, with English messages for the checks that give
 * none of their own. Imported as a namespace (`import * as z from '…/schemas/zod'`) so that a
 * bundle keeps only the schemas and checks it uses: the classic `zod` API keeps every method of
 * every schema type, and `import { z }` keeps the whole namespace with all its locales — 443 KB of
 * a 9-line route's bundle (README, Cold start).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
