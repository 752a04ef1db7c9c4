// The web app in a real browser, against the built app, the real API, PostgreSQL, Temporal
// and worker: a traffic manager signs in, opens tomorrow's log and approves it (acknowledging
// its one error with a reason), an admin
// publishes it and the day reaches published; a viewer cannot approve. Axe finds no serious
// accessibility problem on the pages; screenshots land in test-results/screenshots/.
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { stateQuery } from '../../workflows/broadcast-day-messages.js';
import { wavFile } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const temporal = useTemporal();
const PASSWORD = 'correct horse battery staple';
// A station of its own: workflow ids are business ids, and other files build kqtr's days.
const SLUG = 'browser-fm';

let tomorrow: string;

beforeAll(async () => {
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ slug: SLUG, name: 'Browser FM' });
  for (const role of ['traffic', 'admin', 'viewer', 'programming'] as UserRole[]) {
    await addPerson(db, { email: `${role}@browser.example`, name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`, role, password: PASSWORD });
  }
  tomorrow = DateTime.now().setZone('America/Phoenix').plus({ days: 1 }).toISODate()!;
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'traffic-manager', { temporal });
const signInAs = office.signIn;

/**
 * Signs in with the role's test account. One station: the app opens its days, except for the
 * admin, who is an install owner here and always sees the stations (with the way to add one).
 */
async function signIn(page: Page, role: UserRole) {
  await signInAs(page, { email: `${role}@browser.example`, password: PASSWORD });
  if (role === 'admin') {
    await page.waitForURL(`${office.web.url}/`);
    // The URL changes with a client-side navigation before the list is drawn: wait for it.
    await expect.poll(() => page.getByRole('link', { name: 'New station' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Browser FM' }).click();
  }
  await page.waitForURL(`${office.web.url}/stations/${SLUG}/days`);
}

describe('the web app in a browser', () => {
  it('a traffic manager approves tomorrow, acknowledging its error, an admin publishes it, and the day shows published', async () => {
    // Tomorrow at 09:00 a clock without a legal ID: an error to acknowledge before approving.
    const station = (await db('stations').where({ slug: SLUG }).first('id')) as { id: string };
    const [musicOnly] = (await db('clocks').insert({ stationId: station.id, name: 'Music Only', targetLengthMs: 3_600_000 }).returning('id')) as { id: string }[];
    await db('clock_elements').insert({ clockId: musicOnly!.id, position: 0, type: 'MUS', count: 14 });
    await db('grid_overrides').insert({ stationId: station.id, date: tomorrow, hour: 9, clockId: musicOnly!.id });
    await temporal.withWorker(activitiesFor(db, office.dataDir), async () => {
      const run = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: SLUG }, tomorrow);
      try {
        await until(() => run.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the draft');

        const context = await office.browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        // A wrong password is refused next to the form, in words.
        await page.goto(`${office.web.url}/sign-in`);
        await page.getByLabel('Email').fill('traffic@browser.example');
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, 'sign-in');

        await signIn(page, 'traffic');
        await expect.poll(() => page.getByTestId(`status-${tomorrow}`).textContent()).toBe('Awaiting approval');
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, 'days');

        await page.locator(`a[href="/stations/${SLUG}/logs/${tomorrow}"]`).click();
        await page.waitForURL(`**/logs/${tomorrow}`);
        await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Awaiting approval');
        expect(await page.getByRole('heading', { level: 2, name: /^06:00/ }).count()).toBe(1);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, 'log');
        // Approving without acknowledging the error is refused, next to the error.
        const error = page.getByRole('checkbox', { name: /09:00 .*has no legal ID/ });
        expect(await error.count()).toBe(1);
        await page.getByRole('button', { name: 'Approve version 1' }).click();
        await expect.poll(() => page.getByRole('alert').textContent()).toContain('1 error is not acknowledged');
        await expect.poll(() => page.locator('.acknowledgement .field-error').textContent()).toContain('Not acknowledged');
        expect(await error.getAttribute('aria-invalid')).toBe('true');
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, 'log-acknowledge-error');
        await error.check();
        await page.getByLabel('Reason for the error at 09:00').fill('The host reads the legal ID live at 09:00');
        // Traffic may not publish at this station: no publish button, only approve.
        await page.getByRole('button', { name: 'Approve version 1' }).click();
        await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Approved');
        expect(await page.getByRole('button', { name: /^Publish/ }).count()).toBe(0);
        await expect.poll(() => page.getByText('Acknowledged by Traffic Person: The host reads the legal ID live at 09:00').count()).toBe(1);
        await context.close();

        const admin = await office.browser.newContext({ viewport: { width: 1024, height: 768 } });
        const adminPage = await admin.newPage();
        await signIn(adminPage, 'admin');
        await adminPage.goto(`${office.web.url}/stations/${SLUG}/logs/${tomorrow}`);
        await adminPage.getByRole('button', { name: 'Publish version 1…' }).click();
        // Confirming needs the box ticked.
        await adminPage.getByLabel('Send version 1 to playout').check();
        await adminPage.getByRole('button', { name: 'Confirm publishing' }).click();
        // The live updates bring the status as the run moves on.
        await expect.poll(() => adminPage.getByTestId('log-status').textContent(), { timeout: 30_000 }).toBe('Published');
        await screenshot(adminPage, 'log-published');
        await adminPage.goto(`${office.web.url}/stations/${SLUG}/days`);
        await expect.poll(() => adminPage.getByTestId(`status-${tomorrow}`).textContent()).toBe('Published');
        await admin.close();
      } finally {
        await run.terminate('test over').catch(() => undefined);
      }
    });
  });

  it('an admin creates a campaign: a flight ending before it starts is shown next to the field, then fixed', async () => {
    const context = await office.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.waitForURL(`**/stations/${SLUG}/campaigns`);
    await expect.poll(() => page.getByRole('cell', { name: 'Fall Sale' }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns');

    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Advertiser').selectOption({ label: 'Rainbow Motors' });
    await page.getByLabel('Campaign name').fill('Winter Clearance');
    await page.getByLabel('First day').fill('2026-12-20');
    await page.getByLabel('Last day').fill('2026-12-10');
    await page.getByLabel('Spots per day').fill('4');
    await page.getByLabel('Rainbow Motors — Fall Sale').check();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    // The API's refusal lands next to the field it names.
    const endError = page.locator('#field-end-error');
    await expect.poll(() => endError.textContent()).toContain('before it starts');
    expect(await page.getByLabel('Last day').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'campaign-form-error');

    await page.getByLabel('Last day').fill('2027-01-10');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`**/stations/${SLUG}/campaigns`);
    await expect.poll(() => page.getByRole('link', { name: 'Winter Clearance' }).count()).toBe(1);
    await context.close();
  });

  it('a programme director builds a clock and sees its hour in the preview', async () => {
    const context = await office.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'programming');
    await page.getByRole('link', { name: 'Clocks' }).click();
    await page.waitForURL(`**/stations/${SLUG}/clocks`);
    await page.getByLabel('New clock').fill('Weekend Hour');
    await page.getByRole('button', { name: 'Create clock' }).click();
    await page.waitForURL(/\/clocks\/[0-9a-f-]{36}$/);
    // The new clock: a legal ID at the top, then music the engine fills the hour with.
    const types = async () => (await page.locator('.builder-preview tbody tr .type').allTextContents()).join(' ');
    await expect.poll(types).toMatch(/^LIN MUS MUS MUS MUS/);

    // Add a break of two spots and put it before the music.
    await page.getByLabel('Add an element').selectOption('ADV');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Count').nth(2).fill('2');
    await page.getByRole('button', { name: 'Move element 3 up' }).click();
    // The preview follows the edits before they are saved.
    await expect.poll(types).toMatch(/^LIN (ADV|PSA) (ADV|PSA) MUS MUS/);
    await expect.poll(() => page.locator('.builder-preview [role=status]').textContent(), { message: 'live preview status' }).toBe('Live preview of your edits (not saved yet)');
    await page.getByRole('button', { name: 'Save and preview' }).click();
    await expect.poll(() => page.getByText('Saved; the preview shows the new hour.').count()).toBe(1);
    await expect.poll(types).toMatch(/^LIN (ADV|PSA) (ADV|PSA) MUS MUS/);
    await expect.poll(() => page.locator('.builder-preview [role=status]').textContent(), { message: 'saved preview status' }).toBe('The saved clock');
    expect(await page.getByTestId('preview-total').textContent()).toMatch(/of 1:00:00/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'clock-builder', { fullPage: true });
    await context.close();
  });

  it('a voice talent uploads a take for a voice-track slot, hears it, and removes it', async () => {
    const station = (await db('stations').where({ slug: SLUG }).first('id')) as { id: string };
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 3 }).toISODate()!;
    const [clock] = (await db('clocks').insert({ stationId: station.id, name: 'Voice Hour', targetLengthMs: 3_600_000 }).returning('id')) as { id: string }[];
    await db('clock_elements').insert([
      { clockId: clock!.id, position: 0, type: 'MUS', count: 2 },
      { clockId: clock!.id, position: 1, type: 'VT', count: 1, title: 'Back-announce', targetLengthMs: 20_000 },
      { clockId: clock!.id, position: 2, type: 'MUS', count: 2 },
    ]);
    await db('grid_overrides').insert({ stationId: station.id, date, hour: 9, clockId: clock!.id });

    const context = await office.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await addPerson(db, { email: 'voice@browser.example', name: 'Val Voice', role: 'voice', password: PASSWORD });
    await signIn(page, 'voice');
    await page.goto(`${office.web.url}/stations/${SLUG}/voice?date=${date}`);
    const slot = page.getByRole('region', { name: 'Slot at 09:00' });
    expect(await slot.getByRole('heading').textContent()).toContain('Back-announce');
    await slot.getByLabel('Audio file').setInputFiles({ name: 'back-announce.wav', mimeType: 'audio/wav', buffer: wavFile(6, { title: 'Nine o clock back-announce' }) });
    await slot.getByRole('button', { name: 'Save the take' }).click();
    await expect.poll(() => slot.getByRole('status').textContent()).toContain('Saved "Nine o clock back-announce" (0:06)');
    await expect.poll(() => slot.locator('.take').textContent()).toContain('back-announce.wav');
    // The player gets the audio through the web server, with the person's token.
    const audio = await page.request.get(`${office.web.url}/stations/${SLUG}/voice-tracks/${(await db('voice_tracks').first('id') as { id: string }).id}/audio`);
    expect(audio.headers()['content-type']).toBe('audio/wav');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'voice-tracks', { fullPage: true });

    await slot.getByRole('button', { name: 'Remove the take' }).click();
    await expect.poll(() => slot.textContent()).toContain('No take yet.');
    await context.close();
  });

  it('a viewer reads the log but has no way to approve it', async () => {
    const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 } }); // a tablet
    const page = await context.newPage();
    await signIn(page, 'viewer');
    await page.goto(`${office.web.url}/stations/${SLUG}/logs/${tomorrow}`);
    await expect.poll(() => page.getByTestId('log-status').textContent()).not.toBe('');
    expect(await page.getByRole('button', { name: /Approve|Publish|Rebuild/ }).count()).toBe(0);
    await screenshot(page, 'log-viewer-tablet');
    // Signing out ends the session: the pages ask to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${office.web.url}/sign-in`);
    await page.goto(`${office.web.url}/stations/${SLUG}/days`);
    await page.waitForURL(/\/sign-in\?next=/);
    await context.close();
  });
});
