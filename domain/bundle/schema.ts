// The station bundle: one JSON document that describes a whole station. This object is
// the JSON Schema (draft 2020-12); docs/station-bundle.schema.json is generated from it
// by `npm run bundle-schema` and a test keeps the two identical.
import { CONTENT_CATEGORY_PATTERN, ISRC_PATTERN, ISWC_PATTERN, LANGUAGE_PATTERN, UPC_PATTERN } from '../track-metadata.js';
import { COPY_ROTATIONS, ELEMENT_TYPES, LIVE_SOURCES, MUSIC_USAGES, START_KINDS, STATION_BANDS, TRACK_TYPES, TRANSMISSION_CATEGORIES, WEEKDAYS, type TrackType } from '../vocabulary.js';

const weekday = { enum: Object.keys(WEEKDAYS) };
const clockTime = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time of day, HH:MM (24-hour).' };
const endTime = { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'Local time of day, HH:MM; 24:00 is the end of the day.' };
const date = { type: 'string', format: 'date', description: 'Calendar date, YYYY-MM-DD.' };
const name = { type: 'string', minLength: 1, maxLength: 200 };
const duration = {
  description: 'A length: seconds as a number, or "MM:SS", "HH:MM:SS", optionally with a fraction ("00:03:25.5").',
  oneOf: [
    { type: 'number', minimum: 0, maximum: 86400 },
    { type: 'string', pattern: '^([0-9]{1,2}:)?[0-5]?[0-9]:[0-5][0-9](\\.[0-9]{1,6})?$' },
  ],
};
const hour = { type: 'integer', minimum: 0, maximum: 23 };

/** What may fill an hour short of a hard start: never a sold spot (ADV) or a recorded link (VT). */
export const FILL_TYPES = ['PRO', 'PSA', 'BED', 'LIN', 'INT', 'MUS'] as const satisfies readonly TrackType[];

export const stationBundleSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://librelog.org/schemas/station-bundle.schema.json',
  title: 'LibreLog station bundle',
  description: 'Everything that describes one station: dayparts, categories, music rule sets, clocks, the weekly grid, the library, advertisers and campaigns. Names and refs tie the parts together.',
  type: 'object',
  additionalProperties: false,
  required: ['bundleVersion', 'station'],
  properties: {
    $schema: { type: 'string' },
    bundleVersion: { const: 1 },
    station: {
      type: 'object',
      additionalProperties: false,
      required: ['slug', 'name', 'timezone'],
      properties: {
        slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Short id used in URLs, e.g. "demo".' },
        name,
        timezone: { type: 'string', minLength: 1, description: 'IANA timezone of the broadcast day, e.g. "America/Phoenix".' },
        buildDaysAhead: { type: 'integer', minimum: 0, maximum: 14 },
        buildHour: { type: 'integer', minimum: 4, maximum: 23, description: 'Local hour at which logs are built; 04 or later exists on every day.' },
        fillTolerance: duration,
        approvalLeadHours: { type: 'integer', minimum: 0, maximum: 168 },
        trafficMayPublish: { type: 'boolean' },
        fillTypes: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: FILL_TYPES },
          description: 'Fill material, in order of preference: the track types a build may fill an hour short of a hard start with (best fit first). Default ["PRO", "PSA", "BED"].',
        },
        identity: { $ref: '#/$defs/stationIdentity' },
      },
    },
    categories: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code'],
        properties: { code: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' }, name },
      },
    },
    dayparts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'days', 'start', 'end'],
        properties: {
          name,
          days: { type: 'array', minItems: 1, uniqueItems: true, items: weekday },
          start: clockTime,
          end: endTime,
        },
      },
    },
    ruleSets: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          genres: { type: 'array', items: { type: 'string', minLength: 1 } },
          moods: { type: 'array', items: { type: 'string', minLength: 1 } },
          bpm: { $ref: '#/$defs/range', description: 'Tempo range in beats per minute.' },
          energy: { $ref: '#/$defs/range', description: 'Energy range, 1 (calm) to 10 (peak).' },
          dayparts: { type: 'array', items: name, description: 'Dayparts the rule set may be used in (by name); empty = any.' },
          artistSeparationMinutes: { type: 'integer', minimum: 0, maximum: 1440 },
          titleSeparationHours: { type: 'integer', minimum: 0, maximum: 168 },
        },
      },
    },
    clocks: { type: 'array', items: { $ref: '#/$defs/clock' } },
    grid: {
      type: 'object',
      additionalProperties: false,
      properties: {
        weekly: {
          type: 'array',
          description: 'Rules applied in order (a later rule wins) to fill the 7 × 24 hours of the week.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['days', 'hours', 'clock'],
            properties: {
              days: { type: 'array', minItems: 1, uniqueItems: true, items: weekday },
              hours: { type: 'array', minItems: 1, uniqueItems: true, items: hour },
              clock: name,
            },
          },
        },
        overrides: {
          type: 'array',
          description: 'Date overrides (holidays, specials); they win over the weekly grid.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['date', 'hours', 'clock'],
            properties: { date, hours: { type: 'array', minItems: 1, uniqueItems: true, items: hour }, clock: name, note: { type: 'string' } },
          },
        },
      },
    },
    library: { type: 'array', items: { $ref: '#/$defs/track' } },
    advertisers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          category: { type: 'string', description: 'Product category code (competitive separation).' },
          contactName: { type: 'string' },
          email: { type: 'string', format: 'email' },
          phone: { type: 'string' },
          notes: { type: 'string' },
        },
      },
    },
    campaigns: { type: 'array', items: { $ref: '#/$defs/campaign' } },
  },
  $defs: {
    stationIdentity: {
      type: 'object',
      additionalProperties: false,
      description: 'What the royalty and compliance reports print of the station; a field left out is not set.',
      properties: {
        callLetters: { type: 'string', minLength: 2, maxLength: 20, pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$', description: 'e.g. "KXYZ-FM".' },
        frequency: { type: 'string', minLength: 1, maxLength: 32, description: 'e.g. "91.5 MHz", "1340 kHz".' },
        band: { enum: [...STATION_BANDS] },
        market: { ...name, description: 'e.g. "Phoenix, AZ".' },
        communityOfLicense: { ...name, description: 'As the legal ID says it, e.g. "Flagstaff, Arizona".' },
        country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, e.g. "US", "CA".' },
        serviceName: { ...name, description: 'The NAME_OF_SERVICE SoundExchange knows the station by.' },
        transmissionCategory: { enum: [...TRANSMISSION_CATEGORIES], description: 'SoundExchange: A webcast, B simulcast, C non-music, H/I/J new subscription services, K business establishment.' },
        bmiStationId: { type: 'string', minLength: 1, maxLength: 25 },
        musicFormat: { type: 'string', minLength: 1, maxLength: 25, description: 'The format as BMI asks for it, e.g. "Variety".' },
        contact: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name,
            street: name,
            city: { type: 'string', minLength: 1, maxLength: 100 },
            region: { type: 'string', minLength: 1, maxLength: 100, description: 'State or province.' },
            postalCode: { type: 'string', minLength: 1, maxLength: 20 },
            phone: { type: 'string', minLength: 1, maxLength: 40 },
            email: { type: 'string', format: 'email' },
          },
        },
        signer: {
          type: 'object',
          additionalProperties: false,
          description: 'Who signs the station\'s reports and affidavits.',
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, title: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
    },
    range: {
      type: 'object',
      additionalProperties: false,
      properties: { min: { type: 'number' }, max: { type: 'number' } },
    },
    clockElement: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { enum: [...ELEMENT_TYPES], description: 'A track type, or LIVE: a live show, network feed or outside programme LibreLog does not fill (with `source`, `length` and `start`).' },
        title: { type: 'string' },
        source: { enum: [...LIVE_SOURCES], description: 'LIVE only: live (from the studio), network (a network feed) or outside (an outside broadcast).' },
        count: { type: 'integer', minimum: 1, maximum: 60, description: 'How many items of this type in a row.' },
        fallback: { enum: [...TRACK_TYPES], description: 'What fills the slot when nothing of `type` is available (ADV → PSA).' },
        category: { type: 'string', description: 'Category code (PSA/ADV).' },
        ruleSet: { type: 'string', description: 'Music rule set by name (MUS).' },
        track: { type: 'string', description: 'A specific library item by ref.' },
        length: duration,
        start: {
          type: 'object',
          additionalProperties: false,
          required: ['at'],
          properties: {
            at: { type: 'string', pattern: '^[0-5][0-9]:[0-5][0-9]$', description: 'Offset in the hour, MM:SS.' },
            kind: { enum: [...START_KINDS] },
          },
        },
      },
    },
    clock: {
      type: 'object',
      additionalProperties: false,
      required: ['elements'],
      properties: {
        name: { ...name, description: 'Defaults to `hour` when omitted.' },
        hour: { type: 'string', pattern: '^([01][0-9]|2[0-3]):00$', description: 'The hour the clock was written for, e.g. "06:00".' },
        daypart: name,
        targetLength: duration,
        elements: { type: 'array', minItems: 1, items: { $ref: '#/$defs/clockElement' } },
      },
      anyOf: [{ required: ['name'] }, { required: ['hour'] }],
    },
    track: {
      type: 'object',
      additionalProperties: false,
      required: ['ref', 'type', 'title', 'length'],
      properties: {
        ref: { type: 'string', minLength: 1, maxLength: 200, description: 'The bundle\'s key for this track (re-import updates it).' },
        type: { enum: [...TRACK_TYPES] },
        title: name,
        artist: { type: 'string' },
        album: { type: 'string' },
        label: { type: 'string', minLength: 1, description: 'The marketing (record) label.' },
        writers: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Composers and lyricists, one name each.' },
        publishers: { type: 'array', items: { type: 'string', minLength: 1 } },
        composer: { type: 'string', deprecated: true, description: 'Older bundles: the writers in one string, split at " / ", ";" and " & " on import. Use `writers`.' },
        publisher: { type: 'string', deprecated: true, description: 'Older bundles: the publishers in one string, split at " / " and ";" on import. Use `publishers`.' },
        isrc: { type: 'string', pattern: ISRC_PATTERN },
        iswc: { type: 'string', pattern: ISWC_PATTERN, description: 'ISWC of the musical work, e.g. "T-034.524.680-1".' },
        upc: { type: 'string', pattern: UPC_PATTERN, description: 'UPC-A (12 digits) or EAN-13 of the release.' },
        language: { type: 'string', pattern: LANGUAGE_PATTERN, description: 'ISO 639-1 or 639-2 code, e.g. "en", "fr"; "zxx" for no lyrics.' },
        mapl: {
          type: 'object',
          additionalProperties: false,
          description: 'Canadian content (MAPL): Music, Artist, Performance/production, Lyrics; a flag left out is not known.',
          properties: { music: { type: 'boolean' }, artist: { type: 'boolean' }, performance: { type: 'boolean' }, lyrics: { type: 'boolean' } },
        },
        usage: { enum: [...MUSIC_USAGES], description: 'How the music is used on air: feature, theme (open, close), background, jingle.' },
        instrumental: { type: 'boolean' },
        hit: { type: 'boolean', description: 'A hit, as the CRTC counts them.' },
        contentCategory: { type: 'string', pattern: CONTENT_CATEGORY_PATTERN, description: 'CRTC content category, e.g. "21", "22", "51".' },
        genre: { type: 'string' },
        mood: { type: 'string' },
        bpm: { type: 'integer', minimum: 20, maximum: 300 },
        energy: { type: 'integer', minimum: 1, maximum: 10 },
        length: duration,
        cueIn: duration,
        cueOut: duration,
        intro: duration,
        outro: duration,
        categories: { type: 'array', uniqueItems: true, items: { type: 'string' } },
        dayparts: { type: 'array', uniqueItems: true, items: name },
        libretimeFileId: { type: 'integer', minimum: 1, maximum: 2147483647 },
        azuracastMediaId: { type: 'string' },
      },
    },
    campaign: {
      type: 'object',
      additionalProperties: false,
      required: ['advertiser', 'name', 'start', 'end', 'copy'],
      properties: {
        advertiser: name,
        name,
        start: date,
        end: date,
        priority: { type: 'integer', minimum: 1, maximum: 10, description: 'Higher preempts lower.' },
        spotsPerDay: { type: 'integer', minimum: 1, maximum: 200 },
        spotsPerWeek: { type: 'integer', minimum: 1, maximum: 1400 },
        spotLength: duration,
        category: { type: 'string', description: 'Product category code; defaults to the advertiser\'s.' },
        dayparts: { type: 'array', uniqueItems: true, items: name },
        rotation: { enum: [...COPY_ROTATIONS] },
        status: { enum: ['active', 'paused', 'cancelled'] },
        orderNumber: { type: 'string', minLength: 1, maxLength: 64, description: 'The order or contract number the affidavit and invoice print.' },
        agency: { ...name, description: 'The agency that placed the order; none for a direct order.' },
        agencyCommission: { type: 'number', minimum: 0, maximum: 100, description: 'The agency\'s commission, percent of the gross to the hundredth; only with an agency. Default 15 when an agency is named.' },
        ratePerSpotCents: { type: 'integer', minimum: 0, maximum: 2147483647, description: 'Rate per spot in cents of `currency` (8000 = $80.00).' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the rate\'s currency. Default USD.' },
        copy: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['track'],
            properties: {
              track: { type: 'string', description: 'ADV track by ref.' },
              weight: { type: 'integer', minimum: 1, maximum: 100 },
              start: date,
              end: date,
              isci: { type: 'string', minLength: 1, maxLength: 32, description: 'ISCI code (4 letters, 4 digits) or Ad-ID (11 characters; 12 with H or D for HD or 3D); stored in upper case.' },
            },
          },
        },
      },
      anyOf: [{ required: ['spotsPerDay'] }, { required: ['spotsPerWeek'] }],
    },
  },
} as const;
