// People and the audit log in a real browser, against the built app, the real API and
// PostgreSQL: an owner adds a volunteer and gives them the voice role at one station of two;
// the volunteer signs in and sees that station only. A trusted app's secret is shown once. Axe
// finds nothing serious on the People page or the audit log; screenshots land in
// test-results/screenshots/.
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const OWNER = { email: 'owner@people-browser.example', password: 'owner of the people browser test' };
const VOLUNTEER = { email: 'volunteer@people-browser.example', name: 'Vic Volunteer', password: 'volunteer voice password' };
// Stations of their own: the volunteer works for one of them only.
const VOICE_STATION = { slug: 'people-browser-fm', name: 'People Browser FM' };
const OTHER_STATION = { slug: 'people-browser-two', name: 'People Browser Two' };

beforeAll(async () => {
  const bundle = smallStationBundle();
  for (const station of [VOICE_STATION, OTHER_STATION]) await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...station } });
  await addPerson(db, { email: OWNER.email, name: 'Olu Owner', role: 'admin', password: OWNER.password });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'people');
const signInAs = office.signIn;

describe('people and their roles in a browser', () => {
  it('an owner gives a volunteer the voice role at one station; the volunteer sees only that station', async () => {
    const owner = await office.browser.newContext({ viewport: { width: 820, height: 1180 } }); // a tablet
    const page = await owner.newPage();
    await signInAs(page, OWNER);
    await page.getByRole('navigation', { name: 'Install' }).getByRole('link', { name: 'People' }).click();
    await page.waitForURL(`${office.web.url}/people`);
    await page.waitForFunction(() => '__remixRouter' in window);

    // The volunteer is added with a name, email and password, and no role yet.
    const add = page.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Email').fill(VOLUNTEER.email);
    await add.getByLabel('Name').fill(VOLUNTEER.name);
    await add.getByLabel('Password').fill('too short');
    await add.getByRole('button', { name: 'Add person' }).click();
    // Said next to the field, and the field says it is wrong.
    await expect.poll(() => page.locator('#field-new-person-password-error').textContent()).toContain('at least 12 characters');
    expect(await add.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await add.getByLabel('Password').fill(VOLUNTEER.password);
    await add.getByRole('button', { name: 'Add person' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Added Vic Volunteer' }).count()).toBe(1);
    const row = page.getByRole('rowheader', { name: /Vic Volunteer/ });
    await expect.poll(() => row.count()).toBe(1);

    // Then given the voice role at one station, with the keyboard.
    await page.getByText('Change Vic Volunteer’s access').click();
    const roles = page.getByRole('form', { name: 'Roles of Vic Volunteer' });
    const voice = roles.getByRole('checkbox', { name: `Voice at ${VOICE_STATION.name}` });
    await voice.focus();
    await page.keyboard.press('Space');
    expect(await voice.isChecked()).toBe(true);
    await roles.getByRole('button', { name: 'Save roles' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved Vic Volunteer’s roles.' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('row', { name: /Vic Volunteer/ }).first().textContent()).toContain(`${VOICE_STATION.name}: voice`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'people', { fullPage: true });

    // A trusted app's secret: shown once, with the warning, and focused so it is read out.
    const addApp = page.getByRole('form', { name: 'Add a trusted app' });
    await addApp.getByLabel('App name').fill('LibreTime');
    await addApp.getByRole('checkbox', { name: `Viewer at ${VOICE_STATION.name}` }).check();
    await addApp.getByRole('button', { name: 'Add app and show its secret' }).click();
    const secret = page.getByTestId('new-client-secret');
    await expect.poll(() => secret.count()).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'This secret will not be shown again.' }).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('secret'))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'people-app-secret');
    await page.reload();
    await expect.poll(() => page.getByRole('rowheader', { name: /LibreTime/ }).count()).toBe(1);
    expect(await secret.count()).toBe(0);

    // The audit log says so, in words.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`${office.web.url}/audit`);
    await page.getByLabel('What').selectOption({ label: 'People added or changed' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/action=user\./);
    await expect.poll(() => page.getByRole('cell', { name: `added ${VOLUNTEER.name} (${VOLUNTEER.email})` }).count()).toBe(1);
    await expect.poll(() => page.getByRole('cell', { name: `changed ${VOLUNTEER.name}` }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'audit', { fullPage: true });
    await owner.close();

    // The volunteer works for one station: straight to its days, no other station anywhere.
    const volunteer = await office.browser.newContext({ viewport: { width: 820, height: 1180 } });
    const theirs = await volunteer.newPage();
    await signInAs(theirs, VOLUNTEER);
    await theirs.waitForURL(`${office.web.url}/stations/${VOICE_STATION.slug}/days`);
    expect(await theirs.locator('.who').textContent()).toContain('(voice)');
    await theirs.goto(`${office.web.url}/`);
    await theirs.waitForURL(`${office.web.url}/stations/${VOICE_STATION.slug}/days`);
    expect(await theirs.getByText(OTHER_STATION.name).count()).toBe(0);
    await theirs.goto(`${office.web.url}/stations/${OTHER_STATION.slug}/days`);
    await expect.poll(() => theirs.getByRole('alert').getByRole('heading').textContent()).toBe('Not found');
    // People and the audit log are not for a volunteer.
    expect(await theirs.getByRole('link', { name: 'People' }).count()).toBe(0);
    await theirs.goto(`${office.web.url}/people`);
    await expect.poll(() => theirs.getByRole('alert').getByRole('heading').textContent()).toBe('Not for your role');
    await volunteer.close();
  });
});
