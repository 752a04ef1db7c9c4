// The Reports page and a campaign's delivery chart in a real browser on a tablet, against the
// built app, the real API and PostgreSQL (issues 14 and 15): a person in programming previews
// the SoundExchange census for November — the file's name, its first lines, the play that
// lacks data with its link to the library — downloads it with its exact name, and sees the
// charts drawn (recharts, once the page has loaded); the campaign page draws its delivery over
// the flight. Axe finds nothing serious; nothing breaks the Content-Security-Policy.
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const PERSON = { email: 'music@krpb.example', password: 'reports browser password' };
const STATION = { slug: 'krpb', name: 'Reports Browser FM' };

let campaignId: string;

beforeAll(async () => {
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...STATION } });
  // Traffic and programming: the files, the charts and the campaign's page.
  await addPerson(db, { email: PERSON.email, name: 'Mo Music', role: 'admin', stations: [STATION.slug], password: PERSON.password });
  await db('stations')
    .where({ id: stationId })
    .update({
      callLetters: 'KRPB-FM',
      serviceName: 'KRPB-FM',
      transmissionCategory: 'B',
      band: 'FM',
      frequency: '90.1 MHz',
      country: 'US',
      communityOfLicense: 'Phoenix, Arizona',
      musicFormat: 'Variety',
      contact: JSON.stringify({ name: 'Mo Music', street: '1 Main St', city: 'Phoenix', region: 'AZ', postalCode: '85004', phone: '+1 602 555 0199', email: 'mo@krpb.example' }),
    });
  const tracks = Object.fromEntries(((await db('tracks').where({ stationId }).select('id', 'ref')) as { id: string; ref: string }[]).map((t) => [t.ref, t.id]));
  await db('tracks').where({ id: tracks['mus-1'] }).update({ label: 'Sonoran Sounds' });
  const plays = [
    ['mus-1', '2026-11-02T14:01:00Z', 10],
    ['mus-2', '2026-11-02T14:05:00Z', 8],
    ['mus-1', '2026-11-03T15:01:00Z', 12],
  ] as const;
  await db('playback_history').insert(plays.map(([ref, at, listeners], i) => ({ stationId, source: 'azuracast', externalId: `az-${i}`, trackId: tracks[ref], startedAt: new Date(at), endedAt: new Date(Date.parse(at) + 200_000), listeners })));
  await db('listener_sessions').insert({ stationId, sessionKey: 's1', connectedOn: new Date('2026-11-02T14:00:00Z'), connectedUntil: new Date('2026-11-02T16:00:00Z'), connectedSeconds: 7200 });
  campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'reports');
const signInAs = office.signIn;

describe('reports in a browser', () => {
  it('previews the SoundExchange census with what is missing, downloads it by its exact name, and draws the charts', async () => {
    const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 }, acceptDownloads: true }); // a tablet
    const page = await context.newPage();
    await signInAs(page, PERSON);
    await page.goto(`${office.web.url}/stations/${STATION.slug}/days`);
    await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`${office.web.url}/stations/${STATION.slug}/reports`);
    await page.waitForFunction(() => '__remixRouter' in window);

    const form = page.getByRole('form', { name: 'Choose a report and a period' });
    await form.getByLabel('Report').selectOption('soundexchange-census');
    await form.getByLabel('First day').fill('2026-11-01');
    await form.getByLabel('Last day').fill('2026-11-30');
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /SoundExchange Report of Use — census/ }).count()).toBe(1);
    expect(await page.getByText('KRPB-FM20261101-20261130.txt').first().isVisible()).toBe(true);
    // Monsoon Heart has no ISRC and no label: listed, with a link to fix it in the library.
    const missing = page.getByRole('table').filter({ hasText: 'Monsoon Heart' }).first();
    expect(await missing.getByRole('link', { name: 'In the library' }).getAttribute('href')).toBe(`/stations/${STATION.slug}/library?q=Monsoon%20Heart`);
    expect(await page.getByLabel("The file's first lines").textContent()).toContain('NAME_OF_SERVICE');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download KRPB-FM20261101-20261130\.txt$/ }).click()]);
    expect(download.suggestedFilename()).toBe('KRPB-FM20261101-20261130.txt');

    // The charts are drawn once the page has loaded; each says its figures to a screen reader.
    await expect.poll(() => page.locator('figure.chart .recharts-wrapper > svg.recharts-surface').count()).toBe(3);
    expect(await page.getByRole('img', { name: /Most played songs: 2 shown, Desert Bloom — The Saguaros most with 2 spins/ }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'reports', { fullPage: true });
    await context.close();
  });

  it('a campaign’s page draws its delivery over the flight', async () => {
    const context = await office.browser.newContext({ viewport: { width: 820, height: 1180 } });
    const page = await context.newPage();
    await signInAs(page, PERSON);
    await page.goto(`${office.web.url}/stations/${STATION.slug}/campaigns/${campaignId}`);
    await page.waitForFunction(() => '__remixRouter' in window);
    await expect.poll(() => page.locator('figure.chart .recharts-wrapper > svg.recharts-surface').count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Delivery over the flight: \d+ spots ordered in all/ }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
