// A new station from nothing to its first approved log, entirely in the web app, in a real
// browser against the built app, the real API, PostgreSQL, Temporal and the worker (issue 15):
// an owner of an install with no stations adds one (a missing timezone is refused next to its
// field first), sets how its logs are built and its call letters, uploads music, a legal ID and
// promos to the library, makes a clock (a legal ID at the top, then music), puts it in every hour
// of the week, builds tomorrow's log from the Days page, sees it awaiting approval, approves it
// (acknowledging each error with a reason, if the build found any) and sees it approved.
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wavFile } from '../fixtures/audio.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const temporal = useTemporal();
const OWNER = {
  email: 'owner@first-light.example',
  password: 'first light owner password',
};
const STATION = {
  name: 'First Light FM',
  slug: 'first-light-fm',
  timezone: 'America/Phoenix',
};
/** Small WAVs: 4 kHz mono, a quiet tone — real audio the upload measures. */
const RATE = 4000;

beforeAll(async () => {
  // An install with an owner and nothing else.
  await addPerson(db, {
    email: OWNER.email,
    name: 'Olivia Owner',
    role: 'admin',
    password: OWNER.password,
  });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'station-setup', {
  temporal,
  // The new station's Temporal Schedules go with the test (the dev server serves other files too).
  beforeClose: async () => {
    if (!temporal.env) return;
    const ids: string[] = [];
    for await (const schedule of temporal.env.client.schedule.list()) if (schedule.scheduleId.includes(STATION.slug)) ids.push(schedule.scheduleId);
    for (const id of ids) await temporal.env.client.schedule.getHandle(id).delete();
  },
});
const signIn = office.signIn;

/** Uploads files of one type on the library page and waits for the list of what became of them. */
async function upload(page: Page, type: string, files: { name: string; buffer: Buffer }[]) {
  const form = page.getByRole('region', { name: 'Add tracks' });
  await form.getByLabel('Audio files').setInputFiles(files.map((f) => ({ ...f, mimeType: 'audio/wav' })));
  await form.getByLabel('Type').selectOption(type);
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect.poll(() => form.locator('.notice').textContent(), { timeout: 60_000 }).toBe(`${files.length} added.`);
}

describe('setting up a new station in the web app', () => {
  it('an owner adds a station, sets it up, builds its first log and approves it', { timeout: 240_000 }, async () => {
    const tomorrow = DateTime.now().setZone(STATION.timezone).plus({ days: 1 }).toISODate()!;
    await temporal.withWorker(activitiesFor(db, office.dataDir), async () => {
      try {
        await setUpAndApprove(tomorrow);
      } finally {
        // The day's run waits for publishing; it ends with the test.
        await temporal.env.client.workflow
          .getHandle(`broadcast-day:${STATION.slug}:${tomorrow}`)
          .terminate('test over')
          .catch(() => undefined);
      }
    });
  });
});

async function setUpAndApprove(tomorrow: string) {
  const context = await office.browser.newContext({
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await signIn(page, OWNER);

  // No stations yet: the start page says so and offers the first one.
  await expect.poll(() => page.getByText('No stations yet.').count()).toBe(1);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Add the first station' }).click();
  await page.waitForURL(`${office.web.url}/stations/new`);
  await page.waitForFunction(() => '__remixRouter' in window);

  // The slug follows the name; a station without a timezone is refused next to the field.
  await page.getByLabel('Name').fill(STATION.name);
  expect(await page.getByLabel('Slug').inputValue()).toBe(STATION.slug);
  await page.getByRole('button', { name: 'Add the station' }).click();
  await expect.poll(() => page.locator('#field-timezone-error').textContent()).toBe('Choose the station’s timezone.');
  expect(await page.getByLabel('Timezone').getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByLabel('Name').inputValue()).toBe(STATION.name);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'new-station-error');

  // Every IANA zone is there; files as the playout target.
  expect(await page.getByLabel('Timezone').locator('option').count()).toBeGreaterThan(300);
  await page.getByLabel('Timezone').selectOption(STATION.timezone);
  await page.getByLabel('Files').check();
  await page.getByRole('button', { name: 'Add the station' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/settings/station?created=1`);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`${STATION.name} is added.`);
  expect(await page.getByLabel('Timezone').inputValue()).toBe(STATION.timezone);
  const station = (await db('stations').where({ slug: STATION.slug }).first('name', 'timezone', 'playoutTarget')) as {
    name: string;
    timezone: string;
    playoutTarget: string;
  };
  expect(station).toEqual({
    name: STATION.name,
    timezone: STATION.timezone,
    playoutTarget: 'file',
  });

  // How its logs are built: approval may come up to the start of the day.
  await page.getByLabel('Approval lead (hours)').fill('0');
  await page.getByLabel('Days ahead (days)').fill('3');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('status').last().textContent()).toBe('Saved. The next build uses these settings.');

  // Its call letters, for the printed log and the reports.
  await page.getByRole('navigation', { name: 'Station setup' }).getByRole('link', { name: 'Station details' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/settings`);
  await page.getByLabel('Call letters').fill('KFLF');
  await page.getByLabel('Frequency').fill('88.7 MHz');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('status').last().textContent()).toBe('Saved. The reports use these from now on.');

  // The library: ten songs by ten artists, a legal ID, and promos to fill an hour to time.
  await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Library' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/library`);
  await page.waitForFunction(() => '__remixRouter' in window);
  const songs = Array.from({ length: 10 }, (_, i) => ({
    name: `song-${i + 1}.wav`,
    buffer: wavFile(150 + i * 11, { title: `Song ${i + 1}`, artist: `Artist ${i + 1}` }, RATE),
  }));
  await upload(page, 'MUS', songs);
  await upload(page, 'LIN', [
    {
      name: 'legal-id.wav',
      buffer: wavFile(8, { title: 'KFLF Legal ID', artist: 'First Light FM' }, RATE),
    },
  ]);
  await upload(
    page,
    'PRO',
    [5, 10, 15, 30].map((s) => ({
      name: `promo-${s}.wav`,
      buffer: wavFile(s, { title: `Promo ${s}s`, artist: 'First Light FM' }, RATE),
    }))
  );
  await expect.poll(() => page.getByRole('cell', { name: 'KFLF Legal ID' }).count()).toBeGreaterThan(0);

  // A clock: the legal ID at the top, then music.
  await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Clocks' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/clocks`);
  await expect.poll(() => page.getByText('No clocks yet.').count()).toBe(1);
  await page.getByLabel('New clock').fill('Music Hour');
  await page.getByRole('button', { name: 'Create clock' }).click();
  await page.waitForURL(/\/clocks\/[0-9a-f-]{36}$/);
  const types = async () => (await page.locator('.builder-preview tbody tr .type').allTextContents()).join(' ');
  await expect.poll(types).toMatch(/^LIN MUS MUS MUS/);

  // The grid: every hour of the week plays it.
  await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Grid' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/grid`);
  await page.getByLabel('Clock for the empty hours').selectOption({ label: 'Music Hour' });
  await page.getByRole('button', { name: 'Fill 168 empty hours' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved: 168 empty hours now play that clock.');
  await expect.poll(() => page.getByLabel('Wednesday 09:00').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Music Hour');
  expect(await db('grid_slots').count({ n: '*' }).first()).toMatchObject({
    n: 168,
  });
  expect(await seriousAxeViolations(page)).toEqual([]);

  // Tomorrow's log, built from the Days page.
  await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Days' }).click();
  await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/days`);
  await page.waitForFunction(() => '__remixRouter' in window);
  await expect.poll(() => page.getByText('No logs yet.').count()).toBe(1);
  const tomorrowLabel = DateTime.fromISO(tomorrow).toFormat('ccc, LLL d');
  await page.getByRole('button', { name: `Build the log of ${tomorrowLabel}` }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toContain(`Building the log of ${tomorrowLabel}`);
  await expect
    .poll(() => page.getByTestId(`status-${tomorrow}`).textContent(), {
      timeout: 90_000,
    })
    .toBe('Awaiting approval');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'new-station-days');

  // The log: the legal ID starts every hour; approving it, each error acknowledged.
  await page.locator(`a[href="/stations/${STATION.slug}/logs/${tomorrow}"]`).click();
  await page.waitForURL(`**/logs/${tomorrow}`);
  await page.waitForFunction(() => '__remixRouter' in window);
  await expect.poll(() => page.getByTestId('log-status').textContent()).toBe('Awaiting approval');
  expect(await page.locator('section.hour').count()).toBe(24);
  expect(await page.locator('section.hour').first().locator('tbody tr').first().locator('.type').textContent()).toBe('LIN');
  expect(await page.getByRole('cell', { name: /^Song \d+ — Artist \d+$/ }).count()).toBeGreaterThan(24 * 10);
  const acknowledgements = page.locator('li.acknowledgement');
  for (let i = 0; i < (await acknowledgements.count()); i++) {
    await acknowledgements.nth(i).getByRole('checkbox').check();
    await acknowledgements.nth(i).getByRole('textbox').fill('A new station: the library grows this week');
  }
  await page.getByRole('button', { name: 'Approve version 1' }).click();
  await expect
    .poll(() => page.getByTestId('log-status').textContent(), {
      timeout: 30_000,
    })
    .toBe('Approved');
  await screenshot(page, 'new-station-log-approved');
  await page.getByRole('link', { name: '← All days' }).click();
  await expect.poll(() => page.getByTestId(`status-${tomorrow}`).textContent()).toBe('Approved');
  const log = (await db('daily_logs')
    .join('stations', 'stations.id', 'daily_logs.stationId')
    .where({ 'stations.slug': STATION.slug, broadcastDate: tomorrow })
    .first('daily_logs.status', 'daily_logs.approvedVersion')) as {
    status: string;
    approvedVersion: number;
  };
  expect(log).toEqual({ status: 'approved', approvedVersion: 1 });
  await context.close();
}
