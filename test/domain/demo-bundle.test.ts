import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readDemoBundle } from '../../db/seed.js';
import { BUNDLE_SCHEMA_DOC, bundleSchemaDocument } from '../../domain/bundle/schema-document.js';
import type { StationBundle } from '../../domain/bundle/types.js';
import { validateStationBundle } from '../../domain/bundle/validate.js';
import { SPEC_CLOCK_EXAMPLE } from '../fixtures/bundles.js';

const ANCHOR = '2026-11-23'; // the date the demo's campaign flights were written against

describe('the demo station bundle', async () => {
  const bundle: StationBundle = validateStationBundle(await readDemoBundle());

  it('is GayPHX Radio in America/Phoenix', () => {
    expect(bundle.station).toMatchObject({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
  });

  it('has a library large enough to schedule a real week', () => {
    const count = (type: string) => bundle.library!.filter((t) => t.type === type).length;
    expect(count('MUS')).toBeGreaterThanOrEqual(2000);
    for (const type of ['PSA', 'ADV', 'LIN', 'BED', 'PRO', 'INT']) expect(count(type), type).toBeGreaterThan(0);
    const music = bundle.library!.filter((t) => t.type === 'MUS');
    expect(new Set(music.map((t) => t.genre)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(music.map((t) => t.mood)).size).toBeGreaterThanOrEqual(4);
    // Enough artists with several songs that artist separation matters.
    expect(new Set(music.map((t) => t.artist)).size).toBeLessThan(music.length / 2);
  });

  it('has 24 hour-clocks across dayparts, the spec’s 06:00 clock among them as written', () => {
    const hours = new Set(bundle.clocks!.filter((c) => c.hour).map((c) => c.hour));
    expect(hours.size).toBe(24);
    expect(bundle.clocks).toContainEqual(SPEC_CLOCK_EXAMPLE);
    expect(new Set(bundle.clocks!.map((c) => c.daypart).filter(Boolean)).size).toBeGreaterThanOrEqual(4);
  });

  it('fills all 168 hours of the week in its grid', () => {
    const hours = new Set(bundle.grid!.weekly!.flatMap((rule) => rule.days.flatMap((day) => rule.hours.map((h) => `${day}:${h}`))));
    expect(hours.size).toBe(168);
  });

  it('has at least 10 advertisers with campaigns of different priorities, flights and categories', () => {
    expect(bundle.advertisers!.length).toBeGreaterThanOrEqual(10);
    const campaigns = bundle.campaigns!;
    expect(new Set(campaigns.map((c) => c.priority)).size).toBeGreaterThanOrEqual(4);
    expect(campaigns.some((c) => c.end < ANCHOR)).toBe(true); // expired
    expect(campaigns.some((c) => c.start > ANCHOR)).toBe(true); // future
    expect(campaigns.some((c) => c.start <= ANCHOR && c.end >= ANCHOR && (c.status ?? 'active') === 'active')).toBe(true);
    const categories = bundle.advertisers!.map((a) => a.category);
    expect(categories.length - new Set(categories).size).toBeGreaterThan(0); // competitors share a category
  });
});

describe('the published JSON Schema of the station bundle', () => {
  it('in docs/ is the schema the importer validates with', async () => {
    expect(await readFile(BUNDLE_SCHEMA_DOC, 'utf8')).toBe(bundleSchemaDocument());
  });
});
