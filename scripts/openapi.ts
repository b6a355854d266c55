/**
 * Writes the OpenAPI document (openapi/openapi.json) from the manifest and shared/api. It is
 * committed, so GET /api/openapi.json serves it without bundling the generator; a unit test fails
 * while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { openApiText } from '../shared/api/openapi';
import packageJson from '../package.json';

const target = new URL('../openapi/openapi.json', import.meta.url);
writeFileSync(target, openApiText(packageJson.version));
console.log(`wrote ${target.pathname}`);
