// The pages of issue 15 ("the whole office in the web app") on a tablet, in a real browser
// against the built app, the real API and PostgreSQL: each one shows its heading, axe finds
// nothing serious on it, and nothing is wider than the screen (wide tables scroll in their own
// box). An address that names nothing says so in words; a station with nothing yet says what
// to do first.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const OWNER = { email: 'owner@office-pages.example', password: 'office pages owner password' };
const STATION = { slug: 'koff', name: 'Office Pages FM' };
/** A station with nothing in it yet: the empty states. */
const EMPTY = { slug: 'koff-empty', name: 'Empty Office FM' };
const TABLET = { width: 820, height: 1180 };

let ruleSetId: string;
let campaignId: string;

beforeAll(async () => {
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...STATION } });
  await db('stations').insert({ slug: EMPTY.slug, name: EMPTY.name, timezone: 'America/Phoenix' });
  ruleSetId = ((await db('music_rule_sets').where({ stationId }).first('id')) as { id: string }).id;
  campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  await addPerson(db, { email: OWNER.email, name: 'Oona Owner', role: 'admin', password: OWNER.password });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'office-pages');
const signIn = office.signIn;

/** How far the page is wider than the screen, in CSS pixels (0: nothing to scroll sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Opens a page and waits for the app's scripts and its first heading. */
async function open(page: Page, address: string, heading: RegExp) {
  const response = await page.goto(`${office.web.url}${address}`);
  expect(response?.status(), address).toBe(200);
  await page.waitForFunction(() => '__remixRouter' in window);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { message: address, timeout: 5_000 }).toMatch(heading);
}

describe('the office pages on a tablet', () => {
  it('each page has its heading, nothing serious for axe, and nothing wider than the screen', { timeout: 180_000 }, async () => {
    const context = await office.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signIn(page, OWNER);
    const s = `/stations/${STATION.slug}`;
    const pages: [string, RegExp][] = [
      ['/', /^Stations$/],
      ['/stations/new', /^New station$/],
      [`${s}/settings`, /^Station details$/],
      [`${s}/settings/station`, /^Settings$/],
      [`${s}/settings/connections`, /connections/i],
      [`${s}/programming`, /programming/i],
      [`${s}/rule-sets`, /rule sets/i],
      [`${s}/rule-sets/${ruleSetId}`, /./],
      [`${s}/dayparts`, /dayparts/i],
      [`${s}/categories`, /categories/i],
      [`${s}/clocks`, /clocks/i],
      [`${s}/grid`, /grid/i],
      [`${s}/days`, /broadcast days/],
      [`${s}/avails`, /avails/i],
      [`${s}/campaigns`, /campaigns/i],
      [`${s}/campaigns/new`, /campaign/i],
      [`${s}/campaigns/${campaignId}`, /Fall Sale/],
      [`${s}/advertisers`, /advertisers/i],
      [`${s}/make-goods`, /make-goods/i],
      [`${s}/reports`, /reports/i],
    ];
    const found: Record<string, unknown> = {};
    for (const [address, heading] of pages) {
      await open(page, address, heading);
      const violations = await seriousAxeViolations(page);
      const wider = await overflow(page);
      if (violations.length || wider > 0) found[address] = { violations, wider };
    }
    expect(found).toEqual({});
    // The grid's 7 × 24 hours scroll sideways in their own box.
    await open(page, `${s}/grid`, /grid/i);
    expect(await page.locator('.grid-scroll').evaluate((box) => box.scrollWidth > box.clientWidth)).toBe(true);
    await screenshot(page, 'grid-tablet');
    await context.close();
  });

  it('a station with nothing yet says what to do first on each page', async () => {
    const context = await office.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signIn(page, OWNER);
    const s = `/stations/${EMPTY.slug}`;
    const empties: [string, RegExp, string][] = [
      [`${s}/clocks`, /clocks/i, 'No clocks yet.'],
      [`${s}/grid`, /grid/i, 'No clocks yet'],
      [`${s}/days`, /broadcast days/, 'No logs yet.'],
      [`${s}/campaigns`, /campaigns/i, 'No campaigns yet'],
      [`${s}/advertisers`, /advertisers/i, 'No advertisers yet'],
      [`${s}/rule-sets`, /rule sets/i, 'No rule sets yet'],
      [`${s}/dayparts`, /dayparts/i, 'No dayparts yet'],
      [`${s}/avails`, /avails/i, 'No avails in these weeks'],
      [`${s}/make-goods`, /make-goods/i, 'No make-goods'],
    ];
    const missing: string[] = [];
    for (const [address, heading, words] of empties) {
      await open(page, address, heading);
      if ((await page.getByText(words).count()) === 0) missing.push(`${address}: "${words}"`);
      const violations = await seriousAxeViolations(page);
      if (violations.length) missing.push(`${address}: ${JSON.stringify(violations)}`);
    }
    expect(missing).toEqual([]);
    await screenshot(page, 'empty-make-goods-tablet', { fullPage: true });
    await context.close();
  });

  it('an address that names nothing says so, in the page, with the way back', async () => {
    const context = await office.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signIn(page, OWNER);
    for (const address of [`/stations/${STATION.slug}/rule-sets/00000000-0000-4000-8000-000000000000`, `/stations/${STATION.slug}/campaigns/00000000-0000-4000-8000-000000000000`, `/stations/no-such-station/avails`, `/stations/no-such-station/make-goods`, `/stations/no-such-station/reports`]) {
      const response = await page.goto(`${office.web.url}${address}`);
      expect(response?.status(), address).toBe(404);
      // The API's words (what it could not find), and a link on from there.
      await expect.poll(() => page.getByRole('alert').textContent(), { message: address, timeout: 5_000 }).toMatch(/no (such )?(station|rule set|campaign)|not found/i);
      expect(await page.getByRole('alert').getByRole('link').count(), address).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    await context.close();
  });

  it('a new station with a slug already taken is refused next to the slug, the rest kept as typed', async () => {
    const context = await office.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signIn(page, OWNER);
    // Owners see every station and the way to add one.
    await expect.poll(() => page.getByRole('link', { name: STATION.name }).count()).toBe(1);
    await page.getByRole('link', { name: 'New station' }).click();
    await page.waitForURL(`${office.web.url}/stations/new`);
    await page.waitForFunction(() => '__remixRouter' in window);
    await page.getByLabel('Name').fill('Office Pages Two');
    await page.getByLabel('Slug').fill(STATION.slug);
    // Typed by hand: the name no longer changes it.
    await page.getByLabel('Name').fill('Office Pages 2');
    expect(await page.getByLabel('Slug').inputValue()).toBe(STATION.slug);
    await page.getByLabel('Timezone').selectOption('Europe/Berlin');
    await page.getByLabel('LibreTime').check();
    await page.getByRole('button', { name: 'Add the station' }).click();
    await expect.poll(() => page.locator('#field-slug-error').textContent()).toBe('is taken');
    expect(await page.getByRole('alert').textContent()).toContain(`The slug "${STATION.slug}" is taken by another station`);
    expect(await page.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name').inputValue()).toBe('Office Pages 2');
    expect(await page.getByLabel('Timezone').inputValue()).toBe('Europe/Berlin');
    expect(await page.getByLabel('LibreTime').isChecked()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await overflow(page)).toBe(0);
    await screenshot(page, 'new-station-slug-taken');
    expect(await db('stations').count({ n: '*' }).first()).toMatchObject({ n: 2 });
    await context.close();
  });
});
