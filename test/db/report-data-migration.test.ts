// migrations/20261204000021_report_data.ts with data in the tables: composer and publisher
// become the writers and publishers lists (and back), the label the library sync kept in
// `publisher` becomes the label, and the call letters and market leave the settings document.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/knex.js';
import { createEmptyDatabase } from '../support/db.js';

describe('the report data migration', () => {
  let db: Knex;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const empty = await createEmptyDatabase();
    drop = empty.drop;
    db = createDb(empty.url);
    await db.migrate.latest();
    // Back to just before it: later migrations are undone first, one by one.
    for (let undone: string[] = []; !undone.includes('20261204000021_report_data'); ) {
      [, undone] = (await db.migrate.down()) as [number, string[]];
      expect(undone).toHaveLength(1);
    }
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it('splits composer and publisher into lists, moves station settings to columns, and puts everything back going down', async () => {
    const [station] = (await db('stations')
      .insert({ slug: 'kqtr', name: 'KQTR', timezone: 'America/Phoenix', settings: JSON.stringify({ callLetters: 'KQTR-FM', market: 'Phoenix, AZ', libretimeTrackTypes: { SWEEP: 'PRO' } }) })
      .returning('id')) as { id: string }[];
    const track = (ref: string | null, fields: Record<string, unknown>) => ({ stationId: station!.id, ref, type: 'MUS', title: ref ?? 'synced', lengthMs: 180_000, ...fields });
    await db('tracks').insert([
      track('duo', { composer: 'Ana Ruiz / Ben Cole', publisher: 'Desert Bloom Songs (BMI)' }),
      track('trio', { composer: 'Ana Ruiz; Ben Cole & Cy Dunn', publisher: 'Bug & Co. Music / Saguaro Sky Music (ASCAP)' }),
      track('band', { composer: 'AC/DC', publisher: null }),
      track('blank', { composer: ' ', publisher: '' }),
      // Made by the LibreTime library sync, which kept the file's label in `publisher`.
      track(null, { libretimeFileId: 7, composer: 'Dee Vale', publisher: 'Saguaro Records' }),
    ]);

    await db.migrate.up();
    const after = (await db('tracks').orderBy('title').select('title', 'writers', 'publishers', 'label')) as Record<string, unknown>[];
    expect(after).toEqual([
      { title: 'band', writers: ['AC/DC'], publishers: [], label: null },
      { title: 'blank', writers: [], publishers: [], label: null },
      { title: 'duo', writers: ['Ana Ruiz', 'Ben Cole'], publishers: ['Desert Bloom Songs (BMI)'], label: null },
      { title: 'synced', writers: ['Dee Vale'], publishers: [], label: 'Saguaro Records' },
      { title: 'trio', writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'], publishers: ['Bug & Co. Music', 'Saguaro Sky Music (ASCAP)'], label: null },
    ]);
    const columns = (await db('tracks').columnInfo()) as Record<string, unknown>;
    expect(columns).not.toHaveProperty('composer');
    expect(columns).not.toHaveProperty('publisher');
    expect(await db('stations').first('callLetters', 'market', 'settings', 'contact')).toEqual({
      callLetters: 'KQTR-FM', market: 'Phoenix, AZ', settings: { libretimeTrackTypes: { SWEEP: 'PRO' } }, contact: {},
    });
    // The database keeps what it can check itself.
    await expect(db('tracks').where({ ref: 'duo' }).update({ usage: 'bed' })).rejects.toThrow(/tracks_usage/);
    await expect(db('stations').update({ band: 'SW' })).rejects.toThrow(/stations_band/);
    await expect(db('stations').update({ country: 'usa' })).rejects.toThrow(/stations_country/);
    await expect(db('stations').update({ transmissionCategory: 'D' })).rejects.toThrow(/stations_transmission_category/);

    await db.migrate.down();
    const back = (await db('tracks').orderBy('title').select('title', 'composer', 'publisher')) as Record<string, unknown>[];
    expect(back).toEqual([
      { title: 'band', composer: 'AC/DC', publisher: null },
      { title: 'blank', composer: null, publisher: null },
      { title: 'duo', composer: 'Ana Ruiz / Ben Cole', publisher: 'Desert Bloom Songs (BMI)' },
      { title: 'synced', composer: 'Dee Vale', publisher: 'Saguaro Records' },
      { title: 'trio', composer: 'Ana Ruiz / Ben Cole / Cy Dunn', publisher: 'Bug & Co. Music / Saguaro Sky Music (ASCAP)' },
    ]);
    expect(await db('stations').first('settings')).toEqual({ settings: { callLetters: 'KQTR-FM', market: 'Phoenix, AZ', libretimeTrackTypes: { SWEEP: 'PRO' } } });
    await db.migrate.latest();
  });
});
