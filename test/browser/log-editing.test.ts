// Editing a built log by hand in the web app (issue 15, item 4), in a real browser on a tablet,
// against the built app, the real API, PostgreSQL, Temporal and the worker: a traffic manager
// puts a live read after a song, moves a song to the next hour, deletes one and locks one (from
// the keyboard), each edit asking why and showing the next version with the edit in words; the
// API refusing to move the legal ID (a hard start) is shown in the panel. Then a rebuild keeps the
// lock and the edits, and the day's edits are listed with who, why and their version. Axe finds
// nothing serious with a panel open and after the rebuild; nothing is wider than the tablet.
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
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
const PASSWORD = 'editing the log by hand';
// A station of its own: workflow ids are business ids, and other files build kqtr's days.
const SLUG = 'edit-fm';

beforeAll(async () => {
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ slug: SLUG, name: 'Edit FM' });
  await addPerson(db, { email: 'traffic@edit.example', name: 'Tess Editor', role: 'traffic', password: PASSWORD });
  await addPerson(db, { email: 'viewer@edit.example', name: 'Vic Viewer', role: 'viewer', password: PASSWORD });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'log-editing', { temporal });
const signInAs = office.signIn;

interface Row {
  id: string;
  type: string;
  title: string;
  hour: number;
  position: number;
}

/** The current version's entries, as stored. */
async function entriesOf(date: string): Promise<Row[]> {
  return (await db('log_entries as e')
    .join('daily_logs as l', 'l.id', 'e.log_id')
    .join('stations as s', 's.id', 'l.station_id')
    .where({ 's.slug': SLUG, 'l.broadcast_date': date })
    .orderBy('e.position')
    .select('e.id', 'e.type', 'e.title', 'e.hour', 'e.position')) as Row[];
}

const songsAt = (rows: Row[], hour: number) => rows.filter((r) => r.type === 'MUS' && r.hour === hour);
const rowOf = (page: Page, id: string) => page.locator(`tr[data-entry-id="${id}"]`);
/** The row after an entry's row: what airs next. */
const rowAfter = (page: Page, id: string) => page.locator(`tr[data-entry-id="${id}"] + tr`);

/** Opens an entry's "Edit" menu and follows one of its links. */
async function openEdit(page: Page, id: string, action: RegExp) {
  const row = rowOf(page, id);
  await row.locator('summary').click();
  await row.getByRole('link', { name: action }).click();
  // Under the entry's row (another entry's panel may still be open until the page has it).
  await rowAfter(page, id).locator('#edit-panel').waitFor();
}

describe('editing a built log by hand, in a browser', () => {
  it('a traffic manager inserts a live read, moves, deletes and locks; a rebuild keeps the lock and lists the edits', async () => {
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 4 }).toISODate()!;
    await temporal.withWorker(activitiesFor(db, office.dataDir), async () => {
      const run = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: SLUG }, date);
      try {
        await until(() => run.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the draft');
        const v1 = await entriesOf(date);

        const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 } }); // a tablet
        const page = await context.newPage();
        await signInAs(page, { email: 'traffic@edit.example', password: PASSWORD });
        await page.goto(`${office.web.url}/stations/${SLUG}/logs/${date}`);
        await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Awaiting approval');

        // ---- A live read after the first song at 07:00; asking why first.
        const song = songsAt(v1, 7)[0]!;
        await openEdit(page, song.id, /^Insert after…/);
        expect(await page.getByRole('heading', { level: 3 }).textContent()).toMatch(/^Insert after \d\d:\d\d:\d\d “.+”$/);
        await page.getByRole('link', { name: 'A note (live read, instruction)' }).click();
        await page.getByLabel('What the presenter does').fill('Live read: Rainbow Motors');
        await page.getByLabel('Length (m:ss)').fill('0:30');
        await page.getByRole('button', { name: 'Insert it' }).click();
        // No reason: said next to the field, which gets the keyboard; nothing was sent.
        await expect.poll(() => page.locator('#field-reason-error').textContent()).toContain('Say why');
        expect(await page.getByLabel('Why').getAttribute('aria-invalid')).toBe('true');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-reason');
        expect(await page.getByLabel('What the presenter does').inputValue()).toBe('Live read: Rainbow Motors');
        await page.getByLabel('Why').fill('Sold a live read for the morning show');
        await page.getByRole('button', { name: 'Insert it' }).click();
        await expect.poll(() => page.getByTestId('edit-made').textContent()).toMatch(/^Version 2: Inserted "Live read: Rainbow Motors" \(0:30\) after ".+" at 07:\d\d\. It awaits approval\./);
        await expect.poll(() => rowAfter(page, song.id).textContent()).toContain('Live read: Rainbow Motors');
        expect(await rowAfter(page, song.id).locator('.type').textContent()).toBe('LIVE');
        expect(await page.locator('#edit-panel').count()).toBe(0);

        // ---- The library search for a place shows each item's length and warnings; axe with the panel open.
        const v2 = await entriesOf(date);
        await openEdit(page, songsAt(v2, 9)[0]!.id, /^Replace…/);
        const candidates = page.getByRole('group', { name: 'Library items for this place' });
        await expect.poll(() => candidates.getByRole('radio').count()).toBeGreaterThan(0);
        expect(await candidates.locator('.candidate-length').first().textContent()).toMatch(/^\d+:\d\d$/);
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
        await screenshot(page, 'log-editing-replace-panel');
        await page.getByRole('link', { name: 'Cancel' }).click();
        await expect.poll(() => page.locator('#edit-panel').count()).toBe(0);

        // ---- The legal ID has a hard start: the API refuses to move it, in the panel.
        const legalId = v2.find((r) => r.type === 'LIN' && r.hour === 8)!;
        await openEdit(page, legalId.id, /^Move…/);
        await page.getByLabel('The entry').selectOption(songsAt(v2, 9)[0]!.id);
        await page.getByLabel('Why').fill('Try it later');
        await page.getByRole('button', { name: 'Move it' }).click();
        await expect.poll(() => page.locator('#edit-panel [role=alert]').textContent()).toContain('hard start');
        expect(await page.getByLabel('Why').inputValue()).toBe('Try it later');

        // ---- Move the first song at 10:00 to after the first song at 11:00.
        const moving = songsAt(v2, 10)[0]!;
        const anchor = songsAt(v2, 11)[0]!;
        await openEdit(page, moving.id, /^Move…/);
        await page.getByLabel('Put it').selectOption('after');
        await page.getByLabel('The entry').selectOption(anchor.id);
        await page.getByLabel('Why').fill('Better after the news');
        await page.getByRole('button', { name: 'Move it' }).click();
        await expect.poll(() => page.getByTestId('edit-made').textContent()).toMatch(/^Version 3: Moved /);
        await expect.poll(() => rowAfter(page, anchor.id).textContent()).toContain(moving.title);
        expect(await rowOf(page, moving.id).count()).toBe(0);

        // ---- Delete the first song at 12:00.
        const v3 = await entriesOf(date);
        const dropping = songsAt(v3, 12)[0]!;
        await openEdit(page, dropping.id, /^Delete…/);
        await page.getByLabel('Why').fill('Artist asked us not to play it');
        await page.getByRole('button', { name: 'Delete it' }).click();
        await expect.poll(() => page.getByTestId('edit-made').textContent()).toMatch(/^Version 4: /);
        await expect.poll(() => rowOf(page, dropping.id).count()).toBe(0);

        // ---- Lock the second song at 14:00, from the keyboard.
        const v4 = await entriesOf(date);
        const locking = songsAt(v4, 14)[1]!;
        const lockRow = rowOf(page, locking.id);
        await lockRow.locator('summary').focus();
        await page.keyboard.press('Enter');
        await lockRow.getByRole('link', { name: /^Lock…/ }).focus();
        await page.keyboard.press('Enter');
        await rowAfter(page, locking.id).locator('#edit-panel').waitFor();
        // The panel takes the keyboard: its heading, then the reason.
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Lock \d\d:\d\d:\d\d “/);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-reason');
        await page.keyboard.type('Premiere, announced on air');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('edit-made').textContent()).toMatch(/^Version 5: /);
        await expect.poll(() => lockRow.locator('.lock-mark').count()).toBe(1);
        expect(await lockRow.textContent()).toContain('Locked:');
        expect(await lockRow.getByRole('link', { name: /^Unlock…/, includeHidden: true }).count()).toBe(1);

        // ---- Rebuild: the lock is kept, the note and the move made again, the deletion too.
        await page.getByRole('button', { name: 'Rebuild' }).click();
        await until(() => run.query(stateQuery), (s) => s.version === 6 && s.status === 'awaiting_approval', 'the rebuild');
        await page.goto(`${office.web.url}/stations/${SLUG}/logs/${date}`);
        await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Awaiting approval');
        expect(await page.locator('.log-summary').textContent()).toContain('version 6');
        await expect.poll(() => rowOf(page, locking.id).locator('.lock-mark').count()).toBe(1);
        expect(await rowOf(page, locking.id).textContent()).toContain(locking.title);
        expect(await rowAfter(page, song.id).textContent()).toContain('Live read: Rainbow Motors');
        expect(await rowAfter(page, anchor.id).textContent()).toContain(moving.title);
        expect(await rowOf(page, dropping.id).count()).toBe(0);
        expect(await page.getByText(/hand edits of earlier versions applied again/).count()).toBeGreaterThan(0);

        // The day's edits, newest first: what, why, who, the version each made, and that each applies.
        const edits = page.getByRole('region', { name: 'Hand edits of the day' });
        const rows = edits.locator('tbody tr');
        expect(await rows.count()).toBe(4);
        const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
        expect(await cells(0)).toEqual(['v5', expect.stringMatching(/^Locked "/) as string, 'Premiere, announced on air', expect.stringMatching(/^Tess Editor, /) as string, 'Applies']);
        expect((await cells(1)).slice(0, 3)).toEqual(['v4', expect.stringMatching(/^Deleted "/) as string, 'Artist asked us not to play it']);
        expect((await cells(2)).slice(0, 3)).toEqual(['v3', expect.stringMatching(/^Moved "/) as string, 'Better after the news']);
        expect((await cells(3)).slice(0, 3)).toEqual(['v2', expect.stringMatching(/^Inserted "Live read: Rainbow Motors"/) as string, 'Sold a live read for the morning show']);
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
        await screenshot(page, 'log-editing-after-rebuild');
        await context.close();

        // A viewer sees the lock and the edits, and no way to edit.
        const viewerContext = await office.browser.newContext({ viewport: { width: 820, height: 1180 } });
        const viewer = await viewerContext.newPage();
        await signInAs(viewer, { email: 'viewer@edit.example', password: PASSWORD });
        await viewer.goto(`${office.web.url}/stations/${SLUG}/logs/${date}`);
        await expect.poll(() => rowOf(viewer, locking.id).locator('.lock-mark').count()).toBe(1);
        expect(await viewer.locator('.entry-actions').count()).toBe(0);
        expect(await viewer.getByRole('region', { name: 'Hand edits of the day' }).locator('tbody tr').count()).toBe(4);
        // The address of a panel opens nothing for them.
        await viewer.goto(`${office.web.url}/stations/${SLUG}/logs/${date}?edit=${locking.id}&do=unlock`);
        expect(await viewer.locator('#edit-panel').count()).toBe(0);
        await viewerContext.close();
      } finally {
        await run.terminate('test over').catch(() => undefined);
      }
    });
  }, 240_000);
});
