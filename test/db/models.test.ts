import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { importStationBundle } from '../../db/bundle-import.js';
import { Campaign, DailyLog, LogEntry, PlaybackHistory, Station, Track } from '../../db/models.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

describe('the models', () => {
  it('keep one log per station and broadcast day', async () => {
    const station = await Station.query(db).insert({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
    const log = { stationId: station.id, broadcastDate: '2026-11-25', workflowId: 'broadcast-day:demo:2026-11-25' };
    const first = await DailyLog.query(db).insert(log).returning('*');
    expect(first).toMatchObject({ status: 'building', version: 0 });
    await expect(DailyLog.query(db).insert({ ...log, workflowId: 'other' })).rejects.toThrow(/daily_logs_station_id_broadcast_date_unique/);
    const read = await DailyLog.query(db).findById(first.id);
    expect(read!.broadcastDate).toBe('2026-11-25');
  });

  it('refuse a track whose cue out is past its end', async () => {
    const station = await Station.query(db).insert({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
    await expect(
      Track.query(db).insert({ stationId: station.id, type: 'MUS', title: 'Too Long', lengthMs: 180_000, cueOutMs: 190_000 }),
    ).rejects.toThrow(/tracks_length/);
  });

  it('report an aired, a missed and an unscheduled play in reconciliation_report', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const [song, spot] = await Promise.all([Track.query(db).findOne({ ref: 'mus-1' }), Track.query(db).findOne({ ref: 'adv-1' })]);
    const campaign = await Campaign.query(db).findOne({ name: 'Fall Sale' });
    const log = await DailyLog.query(db).insert({ stationId, broadcastDate: '2026-11-25', workflowId: 'broadcast-day:kqtr:2026-11-25', status: 'reconciling', version: 1 });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 13, minute));
    const aired = await LogEntry.query(db).insert({ id: randomUUID(), logId: log.id, position: 0, startsAt: at(0), lengthMs: 222_000, type: 'MUS', trackId: song!.id, hour: 6, title: 'Desert Bloom' });
    const missed = await LogEntry.query(db).insert({ id: randomUUID(), logId: log.id, position: 1, startsAt: at(4), lengthMs: 30_000, type: 'ADV', trackId: spot!.id, campaignId: campaign!.id, hour: 6, title: 'Rainbow Motors' });
    await PlaybackHistory.query(db).insert([
      { stationId, source: 'libretime', externalId: 'h1', logEntryId: aired.id, trackId: song!.id, startedAt: at(0), endedAt: at(4) },
      { stationId, source: 'libretime', externalId: 'h2', trackId: song!.id, startedAt: at(30), endedAt: at(34) },
    ]);

    const report = (await db('reconciliation_report').where({ stationId }).orderBy('airedAt')) as { entryId: string | null; outcome: string; advertiserId: string | null }[];
    expect(report.map((r) => [r.entryId, r.outcome])).toEqual([
      [aired.id, 'aired'],
      [null, 'unscheduled'],
      [missed.id, 'missed'],
    ]);
    expect(report.find((r) => r.entryId === missed.id)!.advertiserId).toBe(campaign!.advertiserId);
  });
});
