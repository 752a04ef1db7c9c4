// Objection models over the schema in migrations/. Properties are camelCase; the
// columns are snake_case (the knex instance maps them). Durations are milliseconds, dates 'YYYY-MM-DD'.
import { Model, type AnyQueryBuilder, type RelationMappings } from 'objection';
import type {
  CampaignStatus,
  CopyRotation,
  ExceptionKind,
  ExceptionSeverity,
  FallbackReason,
  LogStatus,
  MusicUsage,
  PlayoutTarget,
  StartKind,
  StationBand,
  TrackType,
  TransmissionCategory,
} from '../domain/vocabulary.js';
import type { StationContact } from '../domain/station-identity.js';

export class BaseModel extends Model {}

/** Models with created_at/updated_at keep updated_at current. */
class TimestampedModel extends BaseModel {
  declare createdAt: Date;
  declare updatedAt: Date;
  override $beforeUpdate() {
    this.updatedAt = new Date();
  }
}

export class Station extends TimestampedModel {
  static override tableName = 'stations';
  declare id: string;
  declare slug: string;
  declare name: string;
  declare timezone: string;
  declare playoutTarget: PlayoutTarget;
  declare libretimeUrl: string | null;
  declare libretimeApiKey: string | null;
  declare azuracastUrl: string | null;
  declare azuracastStationId: number | null;
  declare azuracastApiKey: string | null;
  declare buildDaysAhead: number;
  declare buildHour: number;
  declare fillToleranceMs: number;
  declare approvalLeadHours: number;
  declare reconcileGraceMinutes: number;
  declare trafficMayPublish: boolean;
  declare settings: Record<string, unknown>;
  // Its identity, for report headers.
  declare callLetters: string | null;
  declare frequency: string | null;
  declare band: StationBand | null;
  declare market: string | null;
  declare communityOfLicense: string | null;
  /** ISO 3166-1 alpha-2. */
  declare country: string | null;
  /** SoundExchange NAME_OF_SERVICE. */
  declare serviceName: string | null;
  declare transmissionCategory: TransmissionCategory | null;
  declare bmiStationId: string | null;
  declare musicFormat: string | null;
  declare contact: StationContact;
  declare signerName: string | null;
  declare signerTitle: string | null;
  declare version: number;

  static override get relationMappings(): RelationMappings {
    return {
      clocks: { relation: Model.HasManyRelation, modelClass: Clock, join: { from: 'stations.id', to: 'clocks.stationId' } },
      dailyLogs: { relation: Model.HasManyRelation, modelClass: DailyLog, join: { from: 'stations.id', to: 'daily_logs.stationId' } },
    };
  }
}

export class User extends TimestampedModel {
  static override tableName = 'users';
  declare id: string;
  declare email: string;
  declare name: string;
  declare passwordHash: string;
  /** The install's owner: manages stations, people and API clients (roles per station are in station_memberships). */
  declare owner: boolean;
  declare disabled: boolean;
  declare lastLoginAt: Date | null;
}

export class ApiClient extends TimestampedModel {
  static override tableName = 'api_clients';
  declare id: string;
  declare clientId: string;
  declare name: string;
  declare secretHash: string;
  declare owner: boolean;
  declare disabled: boolean;
}

export class AuditEntry extends BaseModel {
  static override tableName = 'audit_log';
  declare id: number;
  declare at: Date;
  declare actorType: 'user' | 'api_client' | 'system';
  declare actorId: string | null;
  declare action: string;
  declare entity: string;
  declare entityId: string | null;
  declare stationId: string | null;
  declare before: unknown;
  declare after: unknown;
}

export class Category extends BaseModel {
  static override tableName = 'categories';
  declare id: string;
  declare stationId: string;
  declare code: string;
  declare name: string;
}

export class Daypart extends BaseModel {
  static override tableName = 'dayparts';
  declare id: string;
  declare stationId: string;
  declare name: string;
  /** ISO weekdays (1 = Monday) on which the daypart starts. */
  declare weekdays: number[];
  declare startMinute: number;
  declare endMinute: number;
}

export class Track extends TimestampedModel {
  static override tableName = 'tracks';
  declare id: string;
  declare stationId: string;
  declare ref: string | null;
  declare type: TrackType;
  declare title: string;
  declare artist: string | null;
  declare album: string | null;
  declare isrc: string | null;
  /** The marketing (record) label. */
  declare label: string | null;
  declare iswc: string | null;
  declare upc: string | null;
  /** Composers and lyricists, each a name. */
  declare writers: string[];
  declare publishers: string[];
  /** ISO 639-1/2 code. */
  declare language: string | null;
  /** Canadian content (MAPL); null: not known. */
  declare maplMusic: boolean | null;
  declare maplArtist: boolean | null;
  declare maplPerformance: boolean | null;
  declare maplLyrics: boolean | null;
  declare usage: MusicUsage | null;
  declare instrumental: boolean | null;
  declare hit: boolean | null;
  /** CRTC content category: '21', '22', '51' … */
  declare contentCategory: string | null;
  declare genre: string | null;
  declare mood: string | null;
  declare bpm: number | null;
  declare energy: number | null;
  declare lengthMs: number;
  declare cueInMs: number;
  declare cueOutMs: number | null;
  declare introMs: number | null;
  declare outroMs: number | null;
  declare libretimeFileId: number | null;
  declare azuracastMediaId: string | null;
  declare filePath: string | null;
  declare removed: boolean;
  declare removedAt: Date | null;
  declare categories?: Category[];
  declare dayparts?: Daypart[];

  static override get relationMappings(): RelationMappings {
    return {
      categories: {
        relation: Model.ManyToManyRelation,
        modelClass: Category,
        join: { from: 'tracks.id', through: { from: 'track_categories.trackId', to: 'track_categories.categoryId' }, to: 'categories.id' },
      },
      dayparts: {
        relation: Model.ManyToManyRelation,
        modelClass: Daypart,
        join: { from: 'tracks.id', through: { from: 'track_dayparts.trackId', to: 'track_dayparts.daypartId' }, to: 'dayparts.id' },
      },
    };
  }
}

export class MusicRuleSet extends TimestampedModel {
  static override tableName = 'music_rule_sets';
  declare id: string;
  declare stationId: string;
  declare name: string;
  declare genres: string[];
  declare moods: string[];
  declare minBpm: number | null;
  declare maxBpm: number | null;
  declare minEnergy: number | null;
  declare maxEnergy: number | null;
  declare artistSeparationMinutes: number;
  declare titleSeparationHours: number;
  declare version: number;
  declare dayparts?: Daypart[];

  static override get relationMappings(): RelationMappings {
    return {
      dayparts: {
        relation: Model.ManyToManyRelation,
        modelClass: Daypart,
        join: {
          from: 'music_rule_sets.id',
          through: { from: 'music_rule_set_dayparts.ruleSetId', to: 'music_rule_set_dayparts.daypartId' },
          to: 'dayparts.id',
        },
      },
    };
  }
}

export class Clock extends TimestampedModel {
  static override tableName = 'clocks';
  declare id: string;
  declare stationId: string;
  declare name: string;
  declare hour: number | null;
  declare daypartId: string | null;
  declare targetLengthMs: number;
  declare version: number;
  declare elements?: ClockElement[];

  static override get relationMappings(): RelationMappings {
    return {
      elements: {
        relation: Model.HasManyRelation,
        modelClass: ClockElement,
        join: { from: 'clocks.id', to: 'clock_elements.clockId' },
        modify: (query: AnyQueryBuilder) => {
          query.orderBy('position');
        },
      },
    };
  }
}

export class ClockElement extends BaseModel {
  static override tableName = 'clock_elements';
  declare id: string;
  declare clockId: string;
  declare position: number;
  declare type: TrackType;
  declare title: string | null;
  declare count: number;
  declare fallback: TrackType | null;
  declare categoryId: string | null;
  declare ruleSetId: string | null;
  declare trackId: string | null;
  declare targetLengthMs: number | null;
  declare startOffsetMs: number | null;
  declare startKind: StartKind | null;
}

export class GridSlot extends BaseModel {
  static override tableName = 'grid_slots';
  static override get idColumn() {
    return ['station_id', 'weekday', 'hour'];
  }
  declare stationId: string;
  declare weekday: number;
  declare hour: number;
  declare clockId: string;
}

export class GridOverride extends BaseModel {
  static override tableName = 'grid_overrides';
  declare id: string;
  declare stationId: string;
  declare date: string;
  declare hour: number;
  declare clockId: string;
  declare note: string | null;
}

export class Advertiser extends TimestampedModel {
  static override tableName = 'advertisers';
  declare id: string;
  declare stationId: string;
  declare name: string;
  declare categoryId: string | null;
  declare contactName: string | null;
  declare email: string | null;
  declare phone: string | null;
  declare notes: string | null;
  declare campaigns?: Campaign[];

  static override get relationMappings(): RelationMappings {
    return {
      campaigns: { relation: Model.HasManyRelation, modelClass: Campaign, join: { from: 'advertisers.id', to: 'campaigns.advertiserId' } },
    };
  }
}

export class Campaign extends TimestampedModel {
  static override tableName = 'campaigns';
  declare id: string;
  declare stationId: string;
  declare advertiserId: string;
  declare name: string;
  declare startsOn: string;
  declare endsOn: string;
  declare priority: number;
  declare spotsPerDay: number | null;
  declare spotsPerWeek: number | null;
  declare spotLengthMs: number;
  declare categoryId: string | null;
  declare rotation: CopyRotation;
  declare status: CampaignStatus;
  declare version: number;
  declare advertiser?: Advertiser;
  declare copy?: CampaignCopy[];
  declare dayparts?: Daypart[];

  static override get relationMappings(): RelationMappings {
    return {
      advertiser: { relation: Model.BelongsToOneRelation, modelClass: Advertiser, join: { from: 'campaigns.advertiserId', to: 'advertisers.id' } },
      copy: {
        relation: Model.HasManyRelation,
        modelClass: CampaignCopy,
        join: { from: 'campaigns.id', to: 'campaign_copy.campaignId' },
        modify: (query: AnyQueryBuilder) => {
          query.orderBy('position');
        },
      },
      dayparts: {
        relation: Model.ManyToManyRelation,
        modelClass: Daypart,
        join: { from: 'campaigns.id', through: { from: 'campaign_dayparts.campaignId', to: 'campaign_dayparts.daypartId' }, to: 'dayparts.id' },
      },
    };
  }
}

export class CampaignCopy extends BaseModel {
  static override tableName = 'campaign_copy';
  declare id: string;
  declare campaignId: string;
  declare trackId: string;
  declare position: number;
  declare weight: number;
  declare startsOn: string | null;
  declare endsOn: string | null;
  declare track?: Track;

  static override get relationMappings(): RelationMappings {
    return {
      track: { relation: Model.BelongsToOneRelation, modelClass: Track, join: { from: 'campaign_copy.trackId', to: 'tracks.id' } },
    };
  }
}

export class DailyLog extends TimestampedModel {
  static override tableName = 'daily_logs';
  declare id: string;
  declare stationId: string;
  declare broadcastDate: string;
  declare status: LogStatus;
  declare version: number;
  declare workflowId: string;
  declare workflowRunId: string | null;
  declare currentStep: string | null;
  declare seed: number;
  declare builtAt: Date | null;
  declare approvedBy: string | null;
  declare approvedAt: Date | null;
  declare approvedVersion: number | null;
  declare publishedAt: Date | null;
  declare publishedVersion: number | null;
  declare reconciledAt: Date | null;
  declare atRisk: boolean;
  declare failure: string | null;
  declare entries?: LogEntry[];
  declare exceptions?: LogException[];

  static override get relationMappings(): RelationMappings {
    return {
      station: { relation: Model.BelongsToOneRelation, modelClass: Station, join: { from: 'daily_logs.stationId', to: 'stations.id' } },
      entries: {
        relation: Model.HasManyRelation,
        modelClass: LogEntry,
        join: { from: 'daily_logs.id', to: 'log_entries.logId' },
        modify: (query: AnyQueryBuilder) => {
          query.orderBy('position');
        },
      },
      exceptions: { relation: Model.HasManyRelation, modelClass: LogException, join: { from: 'daily_logs.id', to: 'log_exceptions.logId' } },
    };
  }
}

export class LogEntry extends BaseModel {
  static override tableName = 'log_entries';
  declare id: string;
  declare logId: string;
  declare position: number;
  declare startsAt: Date;
  declare lengthMs: number;
  declare type: TrackType;
  declare trackId: string | null;
  declare campaignId: string | null;
  declare clockId: string | null;
  declare clockElementId: string | null;
  declare voiceTrackId: string | null;
  declare hour: number;
  declare breakIndex: number | null;
  declare startKind: StartKind | null;
  declare isFallback: boolean;
  declare fallbackReason: FallbackReason | null;
  declare title: string;
  declare note: string | null;
}

export class LogException extends BaseModel {
  static override tableName = 'log_exceptions';
  declare id: string;
  declare logId: string;
  declare logVersion: number;
  declare entryId: string | null;
  declare hour: number | null;
  declare kind: ExceptionKind;
  declare severity: ExceptionSeverity;
  declare message: string;
  declare details: Record<string, unknown>;
  declare createdAt: Date;
}

export class VoiceTrack extends TimestampedModel {
  static override tableName = 'voice_tracks';
  declare id: string;
  declare stationId: string;
  declare broadcastDate: string;
  declare hour: number;
  declare clockElementId: string | null;
  declare slotIndex: number;
  declare trackId: string;
  declare lengthMs: number;
  declare recordedBy: string | null;
}

/** One row of the as-run: something that actually played. */
export class PlaybackHistory extends BaseModel {
  static override tableName = 'playback_history';
  declare id: number;
  declare stationId: string;
  declare source: 'libretime' | 'azuracast' | 'manual';
  declare externalId: string;
  declare logEntryId: string | null;
  declare trackId: string | null;
  declare startedAt: Date;
  declare endedAt: Date | null;
  declare title: string | null;
  declare artist: string | null;
  declare listeners: number | null;
  declare importedAt: Date;
}

export class MakeGood extends BaseModel {
  static override tableName = 'make_goods';
  declare id: string;
  declare stationId: string;
  declare campaignId: string;
  declare missedEntryId: string | null;
  declare reason: 'missed' | 'preempted';
  declare status: 'owed' | 'scheduled' | 'aired' | 'waived';
  declare scheduledEntryId: string | null;
  declare createdAt: Date;
  declare resolvedAt: Date | null;
}
