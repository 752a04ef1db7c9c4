// Printing a day's log and selling the weeks ahead, in a real browser against the built app, the
// real API, PostgreSQL, Temporal and the worker (issue 15): the log page printed (print media)
// shows the station's header and each hour with its total and hides the site's header, the
// buttons and the forms; its PDF and CSV downloads answer with the log; the Avails page shows the
// coming weeks as tables and a chart that says its figures. Axe finds nothing serious.
import { DateTime } from 'luxon';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { stateQuery } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const temporal = useTemporal();
const TRAFFIC = { email: 'traffic@kprn.example', password: 'print and avails password' };
const STATION = { slug: 'kprn', name: 'Print Browser FM' };

let tomorrow: string;

beforeAll(async () => {
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...STATION } });
  await db('stations').where({ id: stationId }).update({ callLetters: 'KPRN-FM', frequency: '90.5 MHz', communityOfLicense: 'Tempe, Arizona' });
  const today = DateTime.now().setZone('America/Phoenix');
  tomorrow = today.plus({ days: 1 }).toISODate()!;
  // The Fall Sale runs through the weeks ahead: some avails are sold.
  await db('campaigns').where({ stationId }).update({ startsOn: today.toISODate(), endsOn: today.plus({ days: 60 }).toISODate() });
  await addPerson(db, { email: TRAFFIC.email, name: 'Tess Traffic', role: 'traffic', stations: [STATION.slug], password: TRAFFIC.password });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'print', { temporal });
const signIn = office.signIn;

describe('printing a log and the avails in a browser', () => {
  it('the printed log has the station header and hour totals and nothing to click; its PDF and CSV download', async () => {
    await temporal.withWorker(activitiesFor(db, office.dataDir), async () => {
      const run = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: STATION.slug }, tomorrow);
      try {
        await until(() => run.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the draft');
        const context = await office.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
        const page = await context.newPage();
        await signIn(page, TRAFFIC);
        await page.goto(`${office.web.url}/stations/${STATION.slug}/logs/${tomorrow}`);
        await page.waitForFunction(() => '__remixRouter' in window);
        await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Awaiting approval');

        // On screen: the site's header and the buttons, no print header.
        const header = page.locator('.log-print-header');
        expect(await header.isVisible()).toBe(false);
        expect(await page.locator('.site-header').isVisible()).toBe(true);
        expect(await page.getByRole('button', { name: 'Approve version 1' }).isVisible()).toBe(true);

        await page.emulateMedia({ media: 'print' });
        // Printed: the station header with its call letters, community and frequency, and the version.
        expect(await header.isVisible()).toBe(true);
        expect(await header.textContent()).toBe(`Program log · KPRN-FM · Tempe, Arizona · 90.5 MHz · ${tomorrow} · version 1`);
        // Each hour's heading with its total (h:mm:ss) and its entries.
        const hours = page.locator('section.hour');
        expect(await hours.count()).toBe(24);
        for (const i of [0, 12, 23]) {
          const heading = hours.nth(i).getByRole('heading', { level: 2 });
          expect(await heading.isVisible()).toBe(true);
          expect(await heading.locator('.fill').textContent()).toMatch(/^\d+:\d{2}:\d{2}/);
          expect(await hours.nth(i).locator('tbody tr').first().isVisible()).toBe(true);
        }
        // Nothing to click or fill in on paper: the site's header, the hour index, the buttons, the approval form, the back link.
        for (const hidden of ['.site-header', '.hour-index', '.log-exports', 'form.approve', '.no-print']) {
          expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
        }
        expect(await page.getByRole('button', { name: 'Approve version 1' }).isVisible()).toBe(false);
        await screenshot(page, 'log-print', { fullPage: true });
        await page.emulateMedia({ media: 'screen' });
        expect(await header.isVisible()).toBe(false);

        // The downloads answer with the log itself.
        const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
        expect(pdf.suggestedFilename()).toMatch(new RegExp(`${tomorrow}.*\\.pdf$`));
        const pdfBytes = await readFile((await pdf.path())!);
        expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
        expect(csv.suggestedFilename()).toMatch(new RegExp(`${tomorrow}.*\\.csv$`));
        const lines = (await readFile((await csv.path())!, 'utf8')).trim().split(/\r\n/);
        const entries = (await db('log_entries').join('daily_logs', 'daily_logs.id', 'log_entries.logId').where({ 'daily_logs.workflowId': run.workflowId }).count({ n: '*' }).first()) as { n: string | number };
        expect(lines.length).toBe(Number(entries.n) + 1);
        expect(lines.some((line) => line.includes('LIN'))).toBe(true);
        await context.close();
      } finally {
        await run.terminate('test over').catch(() => undefined);
      }
    });
  });

  it('the avails page shows the coming weeks as tables and a chart', async () => {
    const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 } }); // a tablet
    const page = await context.newPage();
    await signIn(page, TRAFFIC);
    await page.goto(`${office.web.url}/stations/${STATION.slug}/days`);
    await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Avails' }).click();
    await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/avails`);
    await page.waitForFunction(() => '__remixRouter' in window);
    // Six weeks of days by default from today at the station, a table for each week Monday to Sunday.
    const startsOnMonday = DateTime.now().setZone('America/Phoenix').weekday === 1;
    await expect.poll(() => page.locator('section.avails-week').count()).toBe(startsOnMonday ? 6 : 7);
    expect(await page.locator('section.avails-week table').count()).toBe(startsOnMonday ? 6 : 7);
    expect(await page.locator('.avails-summary').textContent()).toMatch(/free of \d+ avails, [1-9]\d* sold/);
    // The chart is drawn once the page has loaded and says its figures to a screen reader.
    await expect.poll(() => page.locator('figure.chart .recharts-wrapper > svg.recharts-surface').count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Sold and free avails by day: 42 days, \d+ avails, [1-9]\d* sold/ }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'avails-tablet', { fullPage: true });

    // Four weeks instead: the page follows the form.
    await page.getByLabel('Weeks').selectOption('4');
    await page.getByRole('button', { name: 'Show the avails' }).click();
    await page.waitForURL(/weeks=4/);
    await expect.poll(() => page.locator('section.avails-week').count()).toBe(startsOnMonday ? 4 : 5);
    expect(await page.getByRole('img', { name: /^Sold and free avails by day: 28 days/ }).count()).toBe(1);
    await context.close();
  });
});
