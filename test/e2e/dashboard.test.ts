import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/i18n/en.json';
import kk from '../../web/i18n/kk.json';
import ru from '../../web/i18n/ru.json';
import { demoAccounts } from '../../local/demo-accounts';
import type { CascadeReport, RegionReport, RegionsReport } from '../../shared/usecases/reports';
import { checkPage, connectBrowser, localApi, openTab, resetClock, type Tab } from './browser';

const catalogues = { kk, ru, en };
/** local/seed-history.ts HISTORY_NATIONAL_TRAINING (that module loads the store, which needs the stack's environment). */
const HISTORY_NATIONAL_TRAINING = 'demo-history-national';
type Language = keyof typeof catalogues;

/** `YYYY-MM` in Almaty (UTC+5 all year), `shift` months away: the page's default period is the last 12. */
function almatyMonth(shift: number): string {
  const local = new Date(Date.now() + 5 * 3_600_000);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() + shift;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const numberIn = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
const valueOf = async (page: Page, selector: string) => Number(await page.getAttribute(selector, 'data-value'));

let browser: Browser;
let coordinatorToken: string;
let region: RegionReport;
let regions: RegionsReport;
let cascade: CascadeReport;
const from = almatyMonth(-11);
const to = almatyMonth(0);

beforeAll(async () => {
  await resetClock();
  browser = await connectBrowser();
  const { coordinator } = demoAccounts;
  coordinatorToken = (await localApi<{ token: string }>('POST', '/api/local/token', { email: coordinator.email, name: coordinator.name, groups: [...coordinator.groups], region: coordinator.region })).body.token;
  // What the seeded year left behind, as the API reports it: the figures every picture must draw.
  region = (await localApi<RegionReport>('GET', `/api/reports/regions/almaty?from=${from}&to=${to}`, undefined, coordinatorToken)).body;
  regions = (await localApi<RegionsReport>('GET', '/api/reports/regions', undefined, coordinatorToken)).body;
  cascade = (await localApi<CascadeReport>('GET', `/api/reports/cascade/${HISTORY_NATIONAL_TRAINING}?limit=50`, undefined, coordinatorToken)).body;
});

afterAll(async () => {
  await browser?.close();
});

describe('the seeded demo gives the Almaty coordinator a dashboard worth opening', () => {
  it('holds a year of history in Almaty: levels 1 and 2, certificates, months with reach, a cascade', () => {
    // The demo history runs two level-1 trainings of eight in Almaty and one level-2 training of six there.
    const byLevel = new Map(region.byLevel.map((entry) => [entry.level, entry.metrics]));
    expect(byLevel.get(1)?.registrations).toBeGreaterThanOrEqual(16);
    expect(byLevel.get(2)?.registrations).toBeGreaterThanOrEqual(6);
    expect(region.totals.certificatesIssued).toBeGreaterThan(0);
    expect(region.byMonth.filter((month) => month.metrics.teachersReached > 0).length).toBeGreaterThanOrEqual(2);
    expect(regions.items.map((item) => item.region)).toEqual(['almaty']);
    expect(cascade.nodes.filter((node) => node.region === 'almaty').map((node) => node.trainingId)).toEqual(
      expect.arrayContaining(['demo-history-l1-0', 'demo-history-l1-1', 'demo-history-l2-0']),
    );
  });

  describe.each(['kk', 'ru', 'en'] as const)('in %s', (lang: Language) => {
    const text = catalogues[lang];
    let tab: Tab;

    beforeAll(async () => {
      tab = await openTab(browser);
      const { page } = tab;
      await page.goto(`/sign-in?lang=${lang}`);
      await page.click(`button[data-email="${demoAccounts.coordinator.email}"]`);
      await page.waitForURL('**/dashboard');
      await page.locator('[data-testid=funnel-chart]').waitFor();
    });

    afterAll(async () => {
      expect(tab.consoleErrors, 'console errors').toEqual([]);
      await tab.context.close();
    });

    it('defaults the period to the last twelve months, named in the language', async () => {
      const { page } = tab;
      const month = (name: string) => page.locator(`select[name=${name}] option:checked`).textContent();
      expect(await month('from-month')).toBe(text[`month.${Number(from.slice(5))}` as keyof typeof text]);
      expect(await month('from-year')).toBe(from.slice(0, 4));
      expect(await month('to-month')).toBe(text[`month.${Number(to.slice(5))}` as keyof typeof text]);
      expect(await month('to-year')).toBe(to.slice(0, 4));
      expect(await page.textContent('main')).not.toContain('----');
    });

    it('draws the funnel with the seeded numbers and the drop-off between steps', async () => {
      const { page } = tab;
      for (const { level, metrics } of region.byLevel) {
        const steps = ['registrations', 'confirmed', 'completed', 'certificatesIssued'] as const;
        if (steps.every((step) => metrics[step] === 0)) {
          expect(await page.locator(`[data-testid=funnel-chart] [data-level="${level}"] [data-step]`).count()).toBe(0);
          continue;
        }
        for (const step of steps) expect(await valueOf(page, `[data-testid=funnel-chart] [data-level="${level}"] [data-step=${step}]`)).toBe(metrics[step]);
        if (metrics.completed < metrics.confirmed) {
          expect(await page.textContent(`[data-testid=funnel-chart] [data-level="${level}"] [data-step=completed]`)).toContain('↓');
        }
      }
    });

    it('draws reach by month as columns with month names, one per month of the period', async () => {
      const { page } = tab;
      expect(await page.locator('[data-testid=reach-chart] [data-month]').count()).toBe(region.byMonth.length);
      for (const month of region.byMonth) expect(await valueOf(page, `[data-testid=reach-chart] [data-month="${month.month}"]`)).toBe(month.metrics.teachersReached);
      const busiest = region.byMonth.reduce((best, month) => (month.metrics.teachersReached > best.metrics.teachersReached ? month : best));
      // The figure on hover and on keyboard focus.
      const readout = page.locator('[data-testid=reach-chart] .readout');
      await page.hover(`[data-testid=reach-chart] [data-month="${busiest.month}"]`);
      expect(await readout.textContent()).toBe(`${text[`month.${Number(busiest.month.slice(5))}` as keyof typeof text]} ${busiest.month.slice(0, 4)}: ${busiest.metrics.teachersReached}`);
      await page.mouse.move(0, 0);
      await page.focus('[data-testid=funnel-chart] [data-step=registrations]');
      expect(await page.textContent('[data-testid=funnel-chart] .readout')).toContain(text['metric.registrations']);
    });

    it('shades the 20-region map: Almaty with its reach, the regions not the coordinator\'s hatched', async () => {
      const { page } = tab;
      expect(await page.locator('[data-testid=region-map] [data-region]').count()).toBe(20);
      const almaty = regions.items.find((item) => item.region === 'almaty')!;
      expect(await valueOf(page, '[data-testid=region-map] [data-region=almaty]')).toBe(almaty.metrics.teachersReached);
      expect(await page.locator('[data-testid=region-map] [data-region][data-value]').count()).toBe(1);
      await page.focus('[data-testid=region-map] [data-region=almaty]');
      expect(numberIn(await page.textContent('[data-testid=region-map] .readout'))).toBe(almaty.metrics.teachersReached);
      expect(await page.textContent('[data-testid=region-map]')).toContain(text['dashboard.mapNoAccess']);
    });

    it('draws the seeded cascade as a tree of the region\'s trainings, with what each certified', async () => {
      const { page } = tab;
      await page.selectOption('select[name=cascade-root]', HISTORY_NATIONAL_TRAINING);
      await page.locator('[data-testid=cascade-tree]').waitFor();
      const drawn = page.locator('[data-testid=cascade-tree] li[data-training]');
      await expect.poll(() => drawn.count()).toBe(cascade.nodes.length);
      for (const node of cascade.nodes) expect(Number(await page.getAttribute(`[data-testid=cascade-tree] li[data-training="${node.trainingId}"]`, 'data-certified'))).toBe(node.certified);
      // The level-2 training hangs under the level-1 one whose trainer it certified.
      expect(await page.locator('[data-testid=cascade-tree] li[data-training="demo-history-l1-0"] li[data-training="demo-history-l2-0"]').count()).toBe(1);
      const branch = page.locator('[data-testid=cascade-tree] li[data-training="demo-history-l1-0"] > .node button');
      await branch.click();
      expect(await branch.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('[data-testid=cascade-tree] li[data-training="demo-history-l2-0"]').count()).toBe(0);
      await branch.click();
      expect(await page.textContent('[data-testid=cascade-summary]')).toContain(String(cascade.summary.reach));
      await checkPage(page, `${lang}-dashboard-seeded`);
    });
  });

  it("an admin's region switch: every region's tile, and a tile opens that region", async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    await page.goto('/sign-in?lang=en');
    await page.click(`button[data-email="${demoAccounts.admin.email}"]`);
    await page.goto('/dashboard?lang=en');
    // The admin's dashboard opens with its eight reports at once; beside the other suites of
    // `npm test` on two cores that can take longer than the default 10 s to be drawn.
    await page.locator('[data-testid=region-map] [data-region=shymkent][data-value]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=region-map] [data-region][data-value]').count()).toBe(20);
    const adminToken = (await localApi<{ token: string }>('POST', '/api/local/token', { email: demoAccounts.admin.email, name: demoAccounts.admin.name, groups: ['admins'] })).body.token;
    const shymkent = (await localApi<RegionReport>('GET', `/api/reports/regions/shymkent?from=${from}&to=${to}`, undefined, adminToken)).body;
    await page.focus('[data-testid=region-map] [data-region=shymkent]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('select[name=region] option:checked').getAttribute('value')).toBe('shymkent');
    await expect.poll(async () => numberIn(await page.textContent('[data-metric=registrations] dd'))).toBe(shymkent.totals.registrations);
    await checkPage(page, 'en-dashboard-admin');
    expect(tab.consoleErrors, 'console errors').toEqual([]);
    await tab.context.close();
  });
});
