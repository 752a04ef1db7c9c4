import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps.js';
import type { TrackType } from '../domain/vocabulary.js';

export interface StationSummary {
  slug: string;
  name: string;
  timezone: string;
  tracksByType: Partial<Record<TrackType, number>>;
  clocks: number;
  gridHours: number;
  advertisers: number;
  activeCampaigns: number;
}

export function createStationSummaryActivities({ db }: ActivityDeps) {
  return {
    /** What a station has to build logs from; `asOf` is the broadcast date campaigns are counted on. */
    async summarizeStation(slug: string, asOf: string): Promise<StationSummary> {
      const station = (await db('stations').where({ slug }).first('id', 'slug', 'name', 'timezone')) as
        | { id: string; slug: string; name: string; timezone: string }
        | undefined;
      if (!station) throw ApplicationFailure.nonRetryable(`No station with slug "${slug}"`, 'StationNotFound');
      const count = async (query: Promise<unknown>) => Number(((await query) as { n: string | number } | undefined)?.n ?? 0);
      const byType = (await db('tracks').where({ stationId: station.id, removed: false }).groupBy('type').select('type').count({ n: '*' })) as {
        type: TrackType;
        n: string;
      }[];
      const [clocks, gridHours, advertisers, activeCampaigns] = await Promise.all([
        count(db('clocks').where({ stationId: station.id }).count({ n: '*' }).first()),
        count(db('grid_slots').where({ stationId: station.id }).count({ n: '*' }).first()),
        count(db('advertisers').where({ stationId: station.id }).count({ n: '*' }).first()),
        count(
          db('campaigns')
            .where({ stationId: station.id, status: 'active' })
            .where('startsOn', '<=', asOf)
            .where('endsOn', '>=', asOf)
            .count({ n: '*' })
            .first(),
        ),
      ]);
      return {
        slug: station.slug,
        name: station.name,
        timezone: station.timezone,
        tracksByType: Object.fromEntries(byType.map((row) => [row.type, Number(row.n)])),
        clocks,
        gridHours,
        advertisers,
        activeCampaigns,
      };
    },
  };
}
