// A station's identity as the reports print it: call letters, where and how it broadcasts, how
// SoundExchange and BMI know it, whom to contact and who signs. One shape for the API, the
// station bundle and the web app; the columns are in migrations/20261204000021_report_data.ts.
import type { StationBand, TransmissionCategory } from './vocabulary.js';

/** Whom a report names as the station's contact (SoundExchange's header rows). Every field may be null. */
export interface StationContact {
  name: string | null;
  street: string | null;
  city: string | null;
  /** State or province. */
  region: string | null;
  postalCode: string | null;
  phone: string | null;
  email: string | null;
}

export const CONTACT_KEYS = ['name', 'street', 'city', 'region', 'postalCode', 'phone', 'email'] as const satisfies readonly (keyof StationContact)[];

export interface StationIdentity {
  /** KXYZ-FM */
  callLetters: string | null;
  /** "91.5 MHz", "1340 kHz" */
  frequency: string | null;
  band: StationBand | null;
  /** "Phoenix, AZ" */
  market: string | null;
  /** As the legal ID says it: "Flagstaff, Arizona". */
  communityOfLicense: string | null;
  /** ISO 3166-1 alpha-2: US, CA. */
  country: string | null;
  /** SoundExchange NAME_OF_SERVICE. */
  serviceName: string | null;
  transmissionCategory: TransmissionCategory | null;
  bmiStationId: string | null;
  /** The station's format as BMI asks for it: Variety, Country, Jazz … */
  musicFormat: string | null;
  contact: StationContact;
  signer: { name: string | null; title: string | null };
}

/** A change: any subset of keys; `contact` and `signer` replace the whole of theirs. */
export type StationIdentityChange = Partial<Omit<StationIdentity, 'contact' | 'signer'>> & {
  contact?: Partial<StationContact> | null;
  signer?: Partial<StationIdentity['signer']> | null;
};

/** The identity's columns on `stations` (camelCase, as the knex instance maps them). */
export interface StationIdentityColumns {
  callLetters: string | null;
  frequency: string | null;
  band: StationBand | null;
  market: string | null;
  communityOfLicense: string | null;
  country: string | null;
  serviceName: string | null;
  transmissionCategory: TransmissionCategory | null;
  bmiStationId: string | null;
  musicFormat: string | null;
  contact: Partial<StationContact> | null;
  signerName: string | null;
  signerTitle: string | null;
}

export const IDENTITY_COLUMNS = [
  'callLetters', 'frequency', 'band', 'market', 'communityOfLicense', 'country', 'serviceName', 'transmissionCategory',
  'bmiStationId', 'musicFormat', 'contact', 'signerName', 'signerTitle',
] as const satisfies readonly (keyof StationIdentityColumns)[];

const SCALAR_KEYS = [
  'callLetters', 'frequency', 'band', 'market', 'communityOfLicense', 'country', 'serviceName', 'transmissionCategory', 'bmiStationId', 'musicFormat',
] as const satisfies readonly (keyof StationIdentity & keyof StationIdentityColumns)[];

/** Every contact field, null where the document has none. */
export function contactOf(document: Partial<StationContact> | null | undefined): StationContact {
  return Object.fromEntries(CONTACT_KEYS.map((key) => [key, document?.[key] ?? null])) as unknown as StationContact;
}

export function identityOf(row: StationIdentityColumns): StationIdentity {
  return {
    ...(Object.fromEntries(SCALAR_KEYS.map((key) => [key, row[key] ?? null])) as Omit<StationIdentity, 'contact' | 'signer'>),
    contact: contactOf(row.contact),
    signer: { name: row.signerName ?? null, title: row.signerTitle ?? null },
  };
}

/** The columns a change writes: only the keys it names; `contact` and `signer` whole. */
export function identityColumns(change: StationIdentityChange): Partial<StationIdentityColumns> {
  const columns: Partial<StationIdentityColumns> = {};
  for (const key of SCALAR_KEYS) if (change[key] !== undefined) (columns as Record<string, unknown>)[key] = change[key];
  if (change.contact !== undefined) {
    const contact = contactOf(change.contact);
    // Kept as a document of the fields that are set; `{}` when none is.
    columns.contact = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== null));
  }
  if (change.signer !== undefined) {
    columns.signerName = change.signer?.name ?? null;
    columns.signerTitle = change.signer?.title ?? null;
  }
  return columns;
}
