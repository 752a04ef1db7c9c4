// Importing a station bundle: validate everything first, then write all of it in one
// transaction or nothing. Re-importing updates by natural keys (slug, code, name, ref), so
// ids that logs point at survive.
import type { Knex } from 'knex';
import { bundleStartKind, clockName, validateStationBundle } from '../domain/bundle/validate.js';
import type { StationBundle } from '../domain/bundle/types.js';
import { durationToMs, endOfPeriodToMinutes, timeOfDayToMinutes } from '../domain/durations.js';
import { agencyCommission, DEFAULT_CURRENCY } from '../domain/orders.js';
import { identityColumns } from '../domain/station-identity.js';
import { splitNames } from '../domain/track-metadata.js';
import { WEEKDAYS } from '../domain/vocabulary.js';

export interface Actor {
  type: 'user' | 'api_client' | 'system';
  id: string | null;
}

export interface BundleImportSummary {
  stationId: string;
  slug: string;
  created: boolean;
  counts: {
    categories: number;
    dayparts: number;
    ruleSets: number;
    clocks: number;
    gridHours: number;
    overrides: number;
    tracks: number;
    advertisers: number;
    campaigns: number;
  };
}

const CHUNK = 500;

/** Inserts or updates `rows` by `conflict` columns and returns the ids keyed by `key(row)`. */
async function upsert<Row extends Record<string, unknown>>(
  trx: Knex.Transaction,
  table: string,
  rows: Row[],
  conflict: string[],
  key: (row: Record<string, unknown>) => string,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const returned = (await trx(table)
      .insert(chunk)
      .onConflict(conflict)
      .merge()
      .returning(['id', ...conflict])) as Record<string, unknown>[];
    for (const row of returned) ids.set(key(row), String(row.id));
  }
  return ids;
}

async function replaceLinks(trx: Knex.Transaction, table: string, ownerColumn: string, ownerIds: string[], rows: Record<string, unknown>[]) {
  for (let i = 0; i < ownerIds.length; i += CHUNK) await trx(table).whereIn(ownerColumn, ownerIds.slice(i, i + CHUNK)).delete();
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

function lookup(map: Map<string, string>, key: string | undefined): string | null {
  if (key === undefined) return null;
  const id = map.get(key);
  // Validation guarantees every reference resolves; reaching here is a bug, not bad input.
  if (!id) throw new Error(`bundle reference "${key}" did not resolve after validation`);
  return id;
}

/** The station's identity columns from a bundle's block: every one written, what it leaves out as null. */
function identityRow(identity: NonNullable<StationBundle['station']['identity']>) {
  const { contact, ...columns } = identityColumns({
    callLetters: null, frequency: null, band: null, market: null, communityOfLicense: null, country: null, serviceName: null,
    transmissionCategory: null, bmiStationId: null, musicFormat: null, contact: null, signer: null,
    ...identity,
  });
  return { ...columns, contact: JSON.stringify(contact ?? {}) };
}

export async function importStationBundle(db: Knex, input: unknown, actor: Actor = { type: 'system', id: null }): Promise<BundleImportSummary> {
  const bundle: StationBundle = validateStationBundle(input);
  return db.transaction(async (trx) => {
    const s = bundle.station;
    const existing = (await trx('stations').where({ slug: s.slug }).first('id')) as { id: string } | undefined;
    const stationRow = {
      slug: s.slug,
      name: s.name,
      timezone: s.timezone,
      ...(s.buildDaysAhead !== undefined && { build_days_ahead: s.buildDaysAhead }),
      ...(s.buildHour !== undefined && { build_hour: s.buildHour }),
      ...(s.fillTolerance !== undefined && { fill_tolerance_ms: durationToMs(s.fillTolerance) }),
      ...(s.approvalLeadHours !== undefined && { approval_lead_hours: s.approvalLeadHours }),
      ...(s.trafficMayPublish !== undefined && { traffic_may_publish: s.trafficMayPublish }),
      ...(s.fillTypes !== undefined && { fill_types: s.fillTypes }),
      // The identity a bundle carries replaces the station's: what it leaves out is not set.
      ...(s.identity !== undefined && identityRow(s.identity)),
      updated_at: trx.fn.now(),
    };
    const [station] = (await trx('stations').insert(stationRow).onConflict('slug').merge().returning('id')) as { id: string }[];
    const stationId = station!.id;

    const categoryIds = await upsert(
      trx,
      'categories',
      (bundle.categories ?? []).map((c) => ({ station_id: stationId, code: c.code, name: c.name ?? c.code })),
      ['station_id', 'code'],
      (r) => String(r.code),
    );

    const daypartIds = await upsert(
      trx,
      'dayparts',
      (bundle.dayparts ?? []).map((d) => ({
        station_id: stationId,
        name: d.name,
        weekdays: d.days.map((day) => WEEKDAYS[day]),
        start_minute: timeOfDayToMinutes(d.start),
        end_minute: endOfPeriodToMinutes(d.end),
      })),
      ['station_id', 'name'],
      (r) => String(r.name),
    );

    const library = bundle.library ?? [];
    // An exported track that had no ref is named `id:<uuid>`: give the existing track that ref,
    // so re-importing updates it instead of adding a copy.
    const exportedIds = library.map((t) => /^id:([0-9a-f-]{36})$/i.exec(t.ref)?.[1]).filter((id): id is string => id !== undefined);
    for (let i = 0; i < exportedIds.length; i += CHUNK) {
      await trx('tracks')
        .where({ stationId })
        .whereNull('ref')
        .whereIn('id', exportedIds.slice(i, i + CHUNK))
        .update({ ref: trx.raw("'id:' || id::text") });
    }
    const trackIds = await upsert(
      trx,
      'tracks',
      library.map((t) => {
        const length = durationToMs(t.length);
        return {
          station_id: stationId,
          ref: t.ref,
          type: t.type,
          title: t.title,
          artist: t.artist ?? null,
          album: t.album ?? null,
          label: t.label ?? null,
          // An older bundle's `composer` / `publisher` strings become the lists.
          writers: t.writers ?? splitNames(t.composer, 'writers'),
          publishers: t.publishers ?? splitNames(t.publisher, 'publishers'),
          isrc: t.isrc ?? null,
          iswc: t.iswc ?? null,
          upc: t.upc ?? null,
          language: t.language ?? null,
          mapl_music: t.mapl?.music ?? null,
          mapl_artist: t.mapl?.artist ?? null,
          mapl_performance: t.mapl?.performance ?? null,
          mapl_lyrics: t.mapl?.lyrics ?? null,
          usage: t.usage ?? null,
          instrumental: t.instrumental ?? null,
          hit: t.hit ?? null,
          content_category: t.contentCategory ?? null,
          genre: t.genre ?? null,
          mood: t.mood ?? null,
          bpm: t.bpm ?? null,
          energy: t.energy ?? null,
          length_ms: length,
          cue_in_ms: t.cueIn === undefined ? 0 : durationToMs(t.cueIn),
          cue_out_ms: t.cueOut === undefined ? null : durationToMs(t.cueOut),
          intro_ms: t.intro === undefined ? null : durationToMs(t.intro),
          outro_ms: t.outro === undefined ? null : durationToMs(t.outro),
          libretime_file_id: t.libretimeFileId ?? null,
          azuracast_media_id: t.azuracastMediaId ?? null,
          removed: false,
          removed_at: null,
          updated_at: trx.fn.now(),
        };
      }),
      ['station_id', 'ref'],
      (r) => String(r.ref),
    );
    const importedTrackIds = library.map((t) => lookup(trackIds, t.ref)!);
    await replaceLinks(
      trx,
      'track_categories',
      'track_id',
      importedTrackIds,
      library.flatMap((t) => (t.categories ?? []).map((c) => ({ track_id: lookup(trackIds, t.ref), category_id: lookup(categoryIds, c) }))),
    );
    await replaceLinks(
      trx,
      'track_dayparts',
      'track_id',
      importedTrackIds,
      library.flatMap((t) => (t.dayparts ?? []).map((d) => ({ track_id: lookup(trackIds, t.ref), daypart_id: lookup(daypartIds, d) }))),
    );

    const ruleSets = bundle.ruleSets ?? [];
    const ruleSetIds = await upsert(
      trx,
      'music_rule_sets',
      ruleSets.map((r) => ({
        station_id: stationId,
        name: r.name,
        genres: r.genres ?? [],
        moods: r.moods ?? [],
        min_bpm: r.bpm?.min ?? null,
        max_bpm: r.bpm?.max ?? null,
        min_energy: r.energy?.min ?? null,
        max_energy: r.energy?.max ?? null,
        ...(r.artistSeparationMinutes !== undefined && { artist_separation_minutes: r.artistSeparationMinutes }),
        ...(r.titleSeparationHours !== undefined && { title_separation_hours: r.titleSeparationHours }),
        updated_at: trx.fn.now(),
      })),
      ['station_id', 'name'],
      (r) => String(r.name),
    );
    await replaceLinks(
      trx,
      'music_rule_set_dayparts',
      'rule_set_id',
      ruleSets.map((r) => lookup(ruleSetIds, r.name)!),
      ruleSets.flatMap((r) => (r.dayparts ?? []).map((d) => ({ rule_set_id: lookup(ruleSetIds, r.name), daypart_id: lookup(daypartIds, d) }))),
    );

    const clocks = bundle.clocks ?? [];
    const clockIds = await upsert(
      trx,
      'clocks',
      clocks.map((c) => ({
        station_id: stationId,
        name: clockName(c),
        hour: c.hour ? Number(c.hour.slice(0, 2)) : null,
        daypart_id: lookup(daypartIds, c.daypart),
        target_length_ms: c.targetLength === undefined ? 3_600_000 : durationToMs(c.targetLength),
        updated_at: trx.fn.now(),
      })),
      ['station_id', 'name'],
      (r) => String(r.name),
    );
    for (const clock of clocks) {
      const clockId = lookup(clockIds, clockName(clock))!;
      // Elements keep their ids by position, so logs built earlier still name their source element.
      const elements = clock.elements.map((e, position) => ({
        clock_id: clockId,
        position,
        type: e.type,
        title: e.title ?? null,
        count: e.count ?? 1,
        fallback: e.fallback ?? null,
        category_id: lookup(categoryIds, e.category),
        rule_set_id: lookup(ruleSetIds, e.ruleSet),
        track_id: lookup(trackIds, e.track),
        target_length_ms: e.length === undefined ? null : durationToMs(e.length),
        start_offset_ms: e.start ? timeOfDayToMinutes(e.start.at) * 1000 : null,
        start_kind: bundleStartKind(e),
        live_source: e.source ?? null,
      }));
      await trx('clock_elements').insert(elements).onConflict(['clock_id', 'position']).merge();
      await trx('clock_elements').where({ clock_id: clockId }).where('position', '>=', elements.length).delete();
    }

    let gridHours = 0;
    if (bundle.grid?.weekly) {
      // Later rules win, as in the bundle's documentation.
      const week = new Map<string, string>();
      for (const rule of bundle.grid.weekly) {
        for (const day of rule.days) for (const hour of rule.hours) week.set(`${WEEKDAYS[day]}:${hour}`, lookup(clockIds, rule.clock)!);
      }
      await trx('grid_slots').where({ station_id: stationId }).delete();
      const slots = [...week].map(([key, clockId]) => {
        const [weekday, hour] = key.split(':').map(Number);
        return { station_id: stationId, weekday, hour, clock_id: clockId };
      });
      if (slots.length) await trx('grid_slots').insert(slots);
      gridHours = slots.length;
    }
    const overrides = (bundle.grid?.overrides ?? []).flatMap((o) =>
      o.hours.map((hour) => ({ station_id: stationId, date: o.date, hour, clock_id: lookup(clockIds, o.clock), note: o.note ?? null })),
    );
    if (overrides.length) await trx('grid_overrides').insert(overrides).onConflict(['station_id', 'date', 'hour']).merge();

    const advertiserIds = await upsert(
      trx,
      'advertisers',
      (bundle.advertisers ?? []).map((a) => ({
        station_id: stationId,
        name: a.name,
        category_id: lookup(categoryIds, a.category),
        contact_name: a.contactName ?? null,
        email: a.email ?? null,
        phone: a.phone ?? null,
        notes: a.notes ?? null,
        updated_at: trx.fn.now(),
      })),
      ['station_id', 'name'],
      (r) => String(r.name),
    );
    const advertiserCategory = new Map((bundle.advertisers ?? []).map((a) => [a.name, a.category]));

    const campaigns = bundle.campaigns ?? [];
    const campaignIds = await upsert(
      trx,
      'campaigns',
      campaigns.map((c) => ({
        station_id: stationId,
        advertiser_id: lookup(advertiserIds, c.advertiser),
        name: c.name,
        starts_on: c.start,
        ends_on: c.end,
        priority: c.priority ?? 5,
        spots_per_day: c.spotsPerDay ?? null,
        spots_per_week: c.spotsPerWeek ?? null,
        spot_length_ms: c.spotLength === undefined ? 30_000 : durationToMs(c.spotLength),
        category_id: lookup(categoryIds, c.category ?? advertiserCategory.get(c.advertiser)),
        rotation: c.rotation ?? 'sequential',
        status: c.status ?? 'active',
        order_number: c.orderNumber ?? null,
        agency: c.agency ?? null,
        agency_commission_percent: agencyCommission(c.agency, c.agencyCommission),
        rate_cents: c.ratePerSpotCents ?? null,
        currency: c.currency ?? DEFAULT_CURRENCY,
        updated_at: trx.fn.now(),
      })),
      ['advertiser_id', 'name'],
      (r) => `${String(r.advertiserId)}|${String(r.name)}`,
    );
    const campaignId = (c: { advertiser: string; name: string }) => lookup(campaignIds, `${lookup(advertiserIds, c.advertiser)}|${c.name}`)!;
    const importedCampaignIds = campaigns.map(campaignId);
    await replaceLinks(
      trx,
      'campaign_dayparts',
      'campaign_id',
      importedCampaignIds,
      campaigns.flatMap((c) => (c.dayparts ?? []).map((d) => ({ campaign_id: campaignId(c), daypart_id: lookup(daypartIds, d) }))),
    );
    await replaceLinks(
      trx,
      'campaign_copy',
      'campaign_id',
      importedCampaignIds,
      campaigns.flatMap((c) =>
        c.copy.map((copy, position) => ({
          campaign_id: campaignId(c),
          track_id: lookup(trackIds, copy.track),
          position,
          weight: copy.weight ?? 1,
          starts_on: copy.start ?? null,
          ends_on: copy.end ?? null,
          isci: copy.isci === undefined ? null : copy.isci.trim().toUpperCase(),
        })),
      ),
    );

    const summary: BundleImportSummary = {
      stationId,
      slug: s.slug,
      created: !existing,
      counts: {
        categories: bundle.categories?.length ?? 0,
        dayparts: bundle.dayparts?.length ?? 0,
        ruleSets: ruleSets.length,
        clocks: clocks.length,
        gridHours,
        overrides: overrides.length,
        tracks: library.length,
        advertisers: bundle.advertisers?.length ?? 0,
        campaigns: campaigns.length,
      },
    };
    await trx('audit_log').insert({
      actor_type: actor.type,
      actor_id: actor.id,
      action: 'station.bundle.import',
      entity: 'station',
      entity_id: stationId,
      station_id: stationId,
      before: null,
      after: JSON.stringify(summary),
    });
    return summary;
  });
}
