// The SoundExchange Report of Use (docs/royalty-formats.md): golden files written by hand
// (test/fixtures/royalty/README.md says how), and the rules each line must keep.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { soundExchangeMissing, soundExchangeReport, toAscii, type AiredPlay, type SoundExchangeOptions } from '../../domain/royalty/index.js';
import { KXYZ, NOVEMBER, NOVEMBER_PLAYS, cafeDelMar, morningTrain7, openTheme, untitledDemo } from '../fixtures/royalty/plays.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/royalty/${name}`, import.meta.url), 'latin1');
const ATP: SoundExchangeOptions = { form: { kind: 'ATP' }, headers: false, generatedOn: '2026-12-15' };
const ATH: SoundExchangeOptions = { form: { kind: 'ATH', aggregateTuningHours: 5210.5, channelOrProgramName: 'KXYZ-FM Main' }, headers: false, generatedOn: '2026-12-15' };

describe('the SoundExchange Report of Use', () => {
  it('census form without headers: a line per recording, performances summed over its plays, CR line ends (golden file)', () => {
    const file = soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, ATP);
    expect(file.fileName).toBe('KXYZ-FM20261101-20261130.txt');
    expect(file.body).toBe(fixture('KXYZ-FM20261101-20261130.atp.txt'));
    expect(file.rows).toBe(3);
    expect(file.body).not.toContain('\n');
    expect(file.body).not.toContain('NAME_OF_SERVICE');
  });

  it('census form with the 14 header rows: contact, period and generation day year first, row count, qualifier, delimiter, a blank row, the column names (golden file)', () => {
    const file = soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, { ...ATP, headers: true });
    expect(file.body).toBe(fixture('KXYZ-FM20261101-20261130.atp-headers.txt'));
    const rows = (file.body as string).split('\r');
    expect(rows[9]).toBe('3');
    expect(rows[12]).toBe('');
    expect(rows[14]).toMatch(/^\^KXYZ-FM\^/);
  });

  it('aggregate tuning hours form, with and without headers: the channel’s hours and name on each line, and how often each recording played (golden files)', () => {
    expect(soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, ATH).body).toBe(fixture('KXYZ-FM20261101-20261130.ath.txt'));
    expect(soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, { ...ATH, headers: true }).body).toBe(fixture('KXYZ-FM20261101-20261130.ath-headers.txt'));
  });

  it('a song without an ISRC and without a label is listed, never sent with an empty label', () => {
    const body = soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, ATP).body as string;
    expect(body).not.toContain('Untitled Demo');
    expect(soundExchangeMissing(KXYZ, NOVEMBER_PLAYS, NOVEMBER, 'ATP')).toEqual([
      { playId: untitledDemo.id, trackId: untitledDemo.trackId, title: untitledDemo.title, startedAt: untitledDemo.startedAt, fields: ['isrc', 'label'] },
      { playId: openTheme.id, trackId: openTheme.trackId, title: 'Open Theme', startedAt: openTheme.startedAt, fields: ['listeners'] },
    ]);
  });

  it('the ATH form needs no audience: a song whose listeners are unknown is reported there', () => {
    expect(soundExchangeMissing(KXYZ, NOVEMBER_PLAYS, NOVEMBER, 'ATH').map((m) => m.playId)).toEqual([untitledDemo.id]);
    expect(soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, ATH).body).toContain('^Open Theme^');
  });

  it('the transmission category is the station’s, never a fixed letter', () => {
    const webcast = soundExchangeReport({ ...KXYZ, transmissionCategory: 'A' }, [morningTrain7], NOVEMBER, ATP).body as string;
    expect(webcast.split('|')[1]).toBe('^A^');
    expect(() => soundExchangeReport({ ...KXYZ, transmissionCategory: 'Z' as 'A' }, [morningTrain7], NOVEMBER, ATP)).toThrow(/transmission category/);
  });

  it('only music counts: spots, legal IDs, interviews and beds are not sound recordings for SoundExchange', () => {
    const body = soundExchangeReport(KXYZ, NOVEMBER_PLAYS, NOVEMBER, ATH).body as string;
    for (const word of ['Rainbow', 'Legal ID', 'Community Matters', 'Talk Bed']) expect(body).not.toContain(word);
  });

  it('every line has the same number of delimiters and only printable ASCII, whatever the library spells', () => {
    const odd = ['Ça | va ^ bien', '東京 Tokyo', 'Tab\there', 'Line\nbreak', '“quoted” — dashed…', 'Straße Æon Œuvre Łódź'];
    const plays: AiredPlay[] = odd.map((text, i) => ({ ...cafeDelMar, id: `odd-${i}`, title: text, performer: text, album: text, label: text, startedAt: cafeDelMar.startedAt + i * 60_000 }));
    for (const options of [ATP, ATH]) {
      const lines = (soundExchangeReport(KXYZ, plays, NOVEMBER, options).body as string).split('\r').slice(0, -1);
      expect(lines).toHaveLength(odd.length);
      const bars = options === ATP ? 7 : 9;
      for (const line of lines) {
        expect(line.split('|')).toHaveLength(bars + 1);
        expect(line).toMatch(/^[\x20-\x7e]*$/);
        expect(line.split('^')).toHaveLength(options === ATP ? 15 : 17); // 7 (or 8) qualified text fields, 2 carets each
      }
    }
  });

  it('text is made ASCII sensibly: accents dropped, letters spelled out, typographic punctuation plain, other scripts left out', () => {
    expect(toAscii('Beyoncé & Røyksopp')).toBe('Beyonce & Royksopp');
    expect(toAscii('Straße Æon Œuvre Łódź')).toBe('Strasse AEon OEuvre Lodz');
    expect(toAscii('“Don’t” — stop…')).toBe('"Don\'t" - stop...');
    expect(toAscii('東京 Tokyo')).toBe('Tokyo');
    expect(toAscii('a\tb\r\nc  d ')).toBe('a b c d');
  });

  it('a title in another script alone comes out empty and is listed, not sent blank', () => {
    const tokyo = { ...morningTrain7, id: 'tokyo', title: '東京' };
    expect(soundExchangeMissing(KXYZ, [tokyo], NOVEMBER)[0]!.fields).toEqual(['title']);
    expect(soundExchangeReport(KXYZ, [tokyo], NOVEMBER, ATP).rows).toBe(0);
  });

  it('the file name is the service name and the period’s days, year first', () => {
    expect(soundExchangeReport({ ...KXYZ, soundExchangeServiceName: 'KXYZ Community Radio' }, [], { from: '2026-02-01', to: '2026-02-07' }, ATP).fileName).toBe('KXYZCommunityRadio20260201-20260207.txt');
  });
});
