import { describe, expect, it } from 'vitest';
import { consumerList, eventRuleList, routeList, scheduleList } from '../../shared/manifest';
import { sourceGraph } from '../support/bundle-graph';

/**
 * The certificate renderer reads its fonts when it is imported, and only functions that write
 * certificates get the fonts beside their bundle (infra's bundlesCertificateFonts). Any other
 * function that imports it, even through a use case it shares, would fail at cold start on AWS
 * while passing every local test, where the fonts sit in the source tree.
 */
const renderer = 'shared/certificates/render-pdf.ts';

async function bundledSources(handler: string): Promise<string[]> {
  return Object.keys((await sourceGraph(handler)).inputs);
}

describe('function bundles', () => {
  const entries = [...routeList, ...consumerList, ...scheduleList, ...eventRuleList];

  it('import the certificate renderer only where its fonts are shipped', { timeout: 60_000 }, async () => {
    const importers: string[] = [];
    for (const entry of entries) {
      if ((await bundledSources(entry.handler)).includes(renderer)) importers.push(entry.name);
    }
    const shipsFonts = entries.filter((entry) => entry.permissions.certificatesBucket === 'readWrite').map((entry) => entry.name);
    expect(importers.length).toBeGreaterThan(0);
    for (const name of importers) expect(shipsFonts, `${name} imports ${renderer}`).toContain(name);
  });
});
