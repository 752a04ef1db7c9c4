// The make-goods page in a real browser on a tablet, against the built app, the real API and
// PostgreSQL (issue 13, item 4): traffic finds it in the station's navigation, a past day is
// refused next to the day's field, and a make-good is waived with the keyboard, reason given and
// confirmed. Axe finds nothing serious; screenshots land in test-results/screenshots/.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { addDays } from '../../domain/calendar-date.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const TRAFFIC = { email: 'traffic@kmgb.example', password: 'make-goods browser password' };
const STATION = { slug: 'kmgb', name: 'Make-Goods Browser FM' };

beforeAll(async () => {
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...STATION } });
  await addPerson(db, { email: TRAFFIC.email, name: 'Tomás Traffic', role: 'traffic', stations: [STATION.slug], password: TRAFFIC.password });
  // Two spots of the Fall Sale that did not air on Tue 1 Dec 2026, 07:20 and 08:40 Phoenix time.
  const campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  await db('campaigns').where({ id: campaignId }).update({ startsOn: '2026-01-01', endsOn: addDays(DateTime.now().setZone('America/Phoenix').toISODate()!, 30) });
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-01', workflowId: `broadcast-day:${STATION.slug}:2026-12-01`, status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
  for (const [position, startsAt] of ['2026-12-01T14:20:00Z', '2026-12-01T15:40:00Z'].entries()) {
    const entryId = randomUUID();
    await db('log_entries').insert({ id: entryId, logId: log!.id, position, startsAt: new Date(startsAt), lengthMs: 30_000, type: 'ADV', campaignId, hour: 7, title: 'Rainbow Motors — Fall Sale' });
    await db('make_goods').insert({ stationId, campaignId, missedEntryId: entryId, reason: 'missed' });
  }
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'make-goods');
const signInAs = office.signIn;

describe('make-goods in a browser', () => {
  it('traffic is refused a past day next to its field, then waives one with the keyboard', async () => {
    const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 } }); // a tablet
    const page = await context.newPage();
    await signInAs(page, TRAFFIC);
    await page.goto(`${office.web.url}/stations/${STATION.slug}/days`);
    await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Make-goods' }).click();
    await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/make-goods`);
    await page.waitForFunction(() => '__remixRouter' in window);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Rainbow Motors']);
    expect(await page.getByRole('heading', { level: 3 }).first().textContent()).toContain('Fall Sale');
    await expect.poll(() => page.getByText(/Makes good the 07:20 MST spot of Tue 1 Dec/).count()).toBe(1);

    // A past day: said next to the field, which says it is wrong.
    const first = page.getByRole('form', { name: /Ask for the make-good of the 07:20 MST spot/ });
    await first.getByLabel('Day to air it').fill('2026-01-01');
    await first.getByRole('button', { name: 'Ask for it' }).click();
    await expect.poll(() => first.locator('.field-error').textContent()).toMatch(/^The day must be today \(\d{4}-\d{2}-\d{2}\) or later\.$/);
    expect(await first.getByLabel('Day to air it').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'make-goods', { fullPage: true });

    // Waived with the keyboard: open, give the reason, confirm, send.
    const summary = page.getByText('Waive…').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    const waive = page.getByRole('form', { name: /Waive the make-good of the 07:20 MST spot/ });
    await waive.getByLabel('Why it is waived').fill('Credited on the December invoice');
    await waive.getByRole('checkbox', { name: /never air/ }).focus();
    await page.keyboard.press('Space');
    await waive.getByRole('button', { name: 'Waive make-good' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Waived Rainbow Motors’s make-good of the 07:20 MST spot' }).count()).toBe(1);
    await expect.poll(() => page.getByText(/Makes good the 07:20 MST spot/).count()).toBe(0);
    expect(await page.getByText(/Makes good the 08:40 MST spot/).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
