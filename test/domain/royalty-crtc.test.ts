// Canada, CRTC (docs/royalty-formats.md): the program log, the music list and the campus and
// community industry log — golden files written by hand — and the rules behind them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crtcMusicList,
  crtcMusicListMissing,
  crtcProgramLog,
  crtcProgramLogMissing,
  industryLog,
  industryLogMissing,
  isCanadian,
  playsInPeriod,
  programmeSegments,
} from '../../domain/royalty/index.js';
import { CFXY, NOVEMBER, NOVEMBER_PLAYS, interview } from '../fixtures/royalty/plays.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/royalty/${name}`, import.meta.url), 'utf8');

describe('the CRTC program log', () => {
  it('each station identification, each programme with category and origin, each commercial with its quarter hour, length and subcategory; local time (golden file)', () => {
    const file = crtcProgramLog(CFXY, NOVEMBER_PLAYS, NOVEMBER);
    expect(file.fileName).toBe('cfxy-fm-crtc-program-log-2026-11-01-to-2026-11-30.csv');
    expect(file.body).toBe(fixture(file.fileName));
    expect(file.rows).toBe(7);
  });

  it('programmes are the runs of plays between legal IDs, and an interview starts its own', () => {
    const segments = programmeSegments(playsInPeriod(NOVEMBER_PLAYS, NOVEMBER, CFXY.timezone), CFXY);
    expect(segments.map((s) => [s.title, s.playIds])).toEqual([
      ['Music', ['night-owl']],
      ['Music', ['train-7', 'cafe', 'spot', 'demo', 'theme']],
      ['Music', ['train-8']],
      ['Community Matters', ['int', 'bed']],
    ]);
  });

  it('real programmes, when the caller has them, replace the derived ones', () => {
    const show = { startedAt: interview.startedAt, endedAt: interview.startedAt + 3_600_000, title: 'Morning Show', description: 'News and music', contentCategory: '12', originCode: 'L', playIds: [] };
    const body = crtcProgramLog(CFXY, NOVEMBER_PLAYS, NOVEMBER, [show]).body as string;
    expect(body).toContain('2026-11-03,08:05:00,MST,programme,CFXY-FM,"Edmonton, Alberta",91.5 MHz,09:05:00,Morning Show,News and music,12,L,,,,\r\n');
    expect(body).not.toContain('Community Matters');
  });

  it('a programme play without its content category is listed; so is every play when the station has no origin code', () => {
    expect(crtcProgramLogMissing(CFXY, NOVEMBER_PLAYS, NOVEMBER).map((m) => [m.playId, m.fields])).toEqual([
      ['demo', ['contentCategory']],
      ['bed', ['contentCategory']],
    ]);
    const noOrigin = crtcProgramLogMissing({ ...CFXY, defaultOriginCode: null }, NOVEMBER_PLAYS, NOVEMBER);
    expect(noOrigin.find((m) => m.playId === 'spot')!.fields).toEqual(['originCode']);
    expect(noOrigin.find((m) => m.playId === 'lin-7')).toBeUndefined();
  });
});

describe('the CRTC music list', () => {
  it('every selection in broadcast order with title, performer and the MAPL, hit, instrumental and language flags (golden file)', () => {
    const file = crtcMusicList(CFXY, NOVEMBER_PLAYS, NOVEMBER);
    expect(file.body).toBe(fixture('cfxy-fm-crtc-music-list-2026-11-01-to-2026-11-30.csv'));
    expect(file.rows).toBe(6);
  });

  it('a song is Canadian with two of M, A, P, L; unknown criteria that could tip it leave it unknown, and listed', () => {
    expect(isCanadian({ music: true, artist: false, performance: true, lyrics: null })).toBe(true);
    expect(isCanadian({ music: true, artist: false, performance: false, lyrics: null })).toBeNull();
    expect(isCanadian({ music: false, artist: false, performance: false, lyrics: null })).toBe(false);
    expect(isCanadian(null)).toBeNull();
    expect(crtcMusicListMissing(CFXY, NOVEMBER_PLAYS, NOVEMBER).map((m) => [m.playId, m.fields])).toEqual([
      ['train-7', ['mapl']],
      ['demo', ['contentCategory', 'mapl', 'language']],
      ['train-8', ['mapl']],
    ]);
  });
});

describe('the industry log (campus and community stations)', () => {
  it('every play with its end, origin, usage flag and the length of theme and background cues (golden file)', () => {
    const file = industryLog(CFXY, NOVEMBER_PLAYS, NOVEMBER);
    expect(file.body).toBe(fixture('cfxy-fm-industry-log-2026-11-01-to-2026-11-30.csv'));
    expect(file.rows).toBe(11);
  });

  it('lists, once per play, what the program log, the music list and the composers lack', () => {
    expect(industryLogMissing(CFXY, NOVEMBER_PLAYS, NOVEMBER).map((m) => [m.playId, m.fields])).toEqual([
      ['train-7', ['mapl']],
      ['demo', ['contentCategory', 'mapl', 'language', 'writers']],
      ['train-8', ['mapl']],
      ['bed', ['contentCategory']],
    ]);
  });
});
