// Adding music to the library in a real browser (issue 15, item 3), against the built app, the
// real API and PostgreSQL: a person in programming chooses two WAV files at once, sees the upload
// progress and then what became of each — its measured length, cue-in → cue-out and intro ·
// outro — and the same in the library's table; changes a cue in the track's editor and sees it
// saved; a cue-out past the file's end is refused next to the field. Axe finds nothing serious on
// the library page; nothing breaks the Content-Security-Policy.
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { wavOf } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { screenshot, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { useOffice } from '../support/office.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const PERSON = { email: 'pd@klub.example', password: 'library upload browser password' };
const STATION = { slug: 'klub', name: 'Library Upload FM' };

beforeAll(async () => {
  const bundle = smallStationBundle();
  await importStationBundle(db, { ...bundle, station: { ...bundle.station, ...STATION } });
  await db('stations').where({ slug: STATION.slug }).update({ playoutTarget: 'file' });
  await addPerson(db, { email: PERSON.email, name: 'Pat Programming', role: 'programming', stations: [STATION.slug], password: PERSON.password });
});

/** The API, web app and browser; signing in checks the app's Content-Security-Policy refuses nothing. */
const office = useOffice(db, 'library');
const signInAs = office.signIn;

/** A song drawn as levels (dBFS, linear in dB between a segment's ends), stereo, 44.1 kHz, with its title tag. */
function song(title: string, segments: { ms: number; fromDb: number; toDb?: number }[]): Buffer {
  const rate = 44_100;
  const total = segments.reduce((sum, s) => sum + Math.round((s.ms * rate) / 1000), 0);
  const samples = new Float32Array(total);
  let i = 0;
  for (const s of segments) {
    const n = Math.round((s.ms * rate) / 1000);
    for (let k = 0; k < n; k++, i++) {
      const db = s.fromDb + ((s.toDb ?? s.fromDb) - s.fromDb) * (k / n);
      samples[i] = (Number.isFinite(db) ? 10 ** (db / 20) : 0) * 0.5 * (Math.sin((2 * Math.PI * 440 * i) / rate) + Math.sin((2 * Math.PI * 1100 * i) / rate));
    }
  }
  return wavOf([samples, samples], rate, { title, artist: 'Test Pattern' });
}

describe('the library page in a browser', () => {
  it('uploads two songs at once with progress, shows their measured length, cues, intro and outro, and saves an edited cue', async () => {
    const context = await office.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, PERSON);
    await page.goto(`${office.web.url}/stations/${STATION.slug}/library`);
    await page.waitForFunction(() => '__remixRouter' in window);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Every state the upload's status line goes through, as the page shows it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statusesSeen: string[] }).statusesSeen = seen;
      new MutationObserver(() => {
        const progress = document.querySelector('.upload-progress');
        const text = progress?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    // 1 s of silence, a 6 s fade-in, 30 s of song, a 5 s fade-out (≈ 7 MB); and a cold 25 s song.
    const faded = song('Slow Sunrise', [{ ms: 1000, fromDb: -Infinity }, { ms: 6000, fromDb: -40, toDb: -12 }, { ms: 30_000, fromDb: -12 }, { ms: 5000, fromDb: -12, toDb: -40 }]);
    const cold = song('Hard Stop', [{ ms: 500, fromDb: -Infinity }, { ms: 25_000, fromDb: -14 }, { ms: 500, fromDb: -Infinity }]);
    const upload = page.getByRole('region', { name: 'Add tracks' });
    await upload.getByLabel('Audio files').setInputFiles([
      { name: 'slow-sunrise.wav', mimeType: 'audio/wav', buffer: faded },
      { name: 'hard-stop.wav', mimeType: 'audio/wav', buffer: cold },
    ]);
    await upload.getByLabel('Type').selectOption('MUS');
    await upload.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('progressbar', { name: 'Upload progress' }).waitFor();
    const results = upload.getByRole('table', { name: 'What became of each file' });
    await results.waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => /^(Sending…( \d+%)?|Uploaded; measuring the audio…)$/.test(s))).toBe(true);
    expect(seen).toContain('Uploaded; measuring the audio…');
    expect(await upload.getByText('2 added.').count()).toBe(1);

    const rows = await results.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    // File, track, length, cue in → out, intro · outro, loudness · peak, problems.
    expect(rows.map((r) => r[0])).toEqual(['slow-sunrise.wav', 'hard-stop.wav']);
    const [sunrise, stop] = rows;
    expect(sunrise![1]).toContain('Slow Sunrise');
    expect(sunrise![2]).toBe('0:42');
    // The fade-in's first part is under −50 dBFS: the cue-in is inside it; the song ends at the file's end.
    expect(sunrise![3]).toMatch(/^0:0[12]\.\d → 0:42\.0$/);
    // Full level from about 7 s, left at 37 s: intro about 4.5 s from the cue-in, outro about 4 s.
    const [intro, outro] = sunrise![4]!.split(' · ').map((t) => Number(t.replace(/^0:/, '')));
    expect(intro).toBeGreaterThan(3);
    expect(intro).toBeLessThan(6);
    expect(outro).toBeGreaterThan(3);
    expect(outro).toBeLessThanOrEqual(5);
    expect(stop![2]).toBe('0:26');
    expect(stop![3]).toBe('0:00.5 → 0:25.5');
    expect(stop![4]).toBe('0:00.0 · 0:00.0');
    expect(rows.map((r) => r[6])).toEqual(['none', 'none']);

    // The library's table shows the same.
    const library = page.locator('table.library');
    const row = (title: string) => library.locator('tbody tr').filter({ hasText: title });
    await expect.poll(() => row('Hard Stop').count()).toBe(1);
    expect(await row('Hard Stop').locator('td').nth(3).textContent()).toBe('0:00.5 → 0:25.5');
    expect(await row('Hard Stop').locator('td').nth(4).textContent()).toBe('0:00.0 · 0:00.0');
    expect(await row('Slow Sunrise').locator('td').nth(4).textContent()).toBe(sunrise![4]);

    // Edit: the cue-in later and an intro by ear.
    await row('Hard Stop').getByText('Edit', { exact: true }).click();
    const editor = page.getByRole('form', { name: 'Edit Hard Stop' });
    expect(await editor.getByLabel('Cue in (s)').inputValue()).toBe('0.5');
    expect(await editor.getByLabel('Cue out (s)').inputValue()).toBe('25.5');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await editor.getByLabel('Cue in (s)').fill('1.25');
    await editor.getByLabel('Intro (s)').fill('3');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor.getByRole('status').textContent()).toBe('Saved.');
    await expect.poll(() => row('Hard Stop').locator('td').nth(3).textContent()).toBe('0:01.3 → 0:25.5');
    expect(await row('Hard Stop').locator('td').nth(4).textContent()).toBe('0:03.0 · 0:00.0');
    expect(await db('tracks').where({ title: 'Hard Stop' }).first('cueInMs', 'cueOutMs', 'introMs')).toEqual({ cueInMs: 1250, cueOutMs: 25_500, introMs: 3000 });

    // A cue-out past the file's end is refused next to the field, and nothing changes.
    await editor.getByLabel('Cue out (s)').fill('30');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor.getByRole('alert').textContent()).toBe('is past the end of the file (0:26.0)');
    expect(await editor.getByLabel('Cue out (s)').getAttribute('aria-invalid')).toBe('true');
    expect(((await db('tracks').where({ title: 'Hard Stop' }).first('cueOutMs')) as { cueOutMs: number }).cueOutMs).toBe(25_500);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'library-upload', { fullPage: true });
    await context.close();
  });
});
