// Guards on password and client-secret checks at the token endpoint, kept in PostgreSQL so that
// every API process agrees. They slow guessing down without letting anyone lock a person out:
//
// - Per account (an email address or an API client id): the first few failures are free, then
//   each further failure makes the next try wait twice as long, up to a bound. A success starts
//   over. While an account waits, a try from an address that has not been failing is still
//   checked, so the real owner gets in during an attack from elsewhere; an address that fails
//   there is failing from then on and waits with the others.
// - Per client address (as the API sees it: the browser's address when the web server or a
//   proxy passes it on and is trusted, LIBRELOG_TRUSTED_PROXIES): more free failures, the same
//   backoff. Failures count, successes do not, and an address forgets after an hour's quiet.
//
// Refreshing a token is not a guess and is not counted. Every try is counted as a failure
// before its password is checked and given back when it succeeds, so parallel guesses cannot
// all slip through before the first is counted.
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

export interface Backoff {
  /** Failures that cost nothing. */
  free: number;
  /** The wait after the first failure past the free ones; each further one doubles it. */
  baseSeconds: number;
  /** The longest wait. */
  maxSeconds: number;
  /** After this long without a failure, the failures are forgotten. */
  forgetAfterSeconds: number;
}

export interface SignInGuardSettings {
  account: Backoff;
  address: Backoff;
}

export const DEFAULT_SIGN_IN_GUARDS: SignInGuardSettings = {
  // 5 free, then 1 s, 2 s, 4 s … 15 min: about a hundred guesses a day at most, per account.
  account: { free: 5, baseSeconds: 1, maxSeconds: 15 * 60, forgetAfterSeconds: 24 * 3600 },
  // An office or a school behind one address makes typos too.
  address: { free: 20, baseSeconds: 1, maxSeconds: 15 * 60, forgetAfterSeconds: 3600 },
};

/** How long to wait after `failures` failures, in ms (0: no wait). */
export function backoffMs(rule: Backoff, failures: number): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.baseSeconds * 2 ** Math.min(failures - rule.free - 1, 40), rule.maxSeconds) * 1000;
}

interface GuardRow {
  key: string;
  failures: number;
  lastFailureAt: Date | null;
}

interface GuardState {
  failures: number;
  /** Epoch ms; 0 when not waiting. */
  waitUntil: number;
}

function stateOf(row: GuardRow | undefined, rule: Backoff, now: number): GuardState {
  const last = row?.lastFailureAt?.getTime();
  if (!row || last === undefined || now - last > rule.forgetAfterSeconds * 1000) return { failures: 0, waitUntil: 0 };
  const wait = backoffMs(rule, row.failures);
  return { failures: row.failures, waitUntil: wait ? last + wait : 0 };
}

export type GuardDecision =
  | { allowed: true; attempt: GuardedAttempt }
  | { allowed: false; retryAfterSeconds: number; waiting: 'account' | 'address' };

export interface GuardedAttempt {
  /** The password was right: the account starts over and the address gets its failure back. */
  succeeded(): Promise<void>;
}

export class SignInGuard {
  private readonly settings: SignInGuardSettings;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(
    private readonly db: Knex,
    options: { settings?: Partial<SignInGuardSettings>; now?: () => number } = {},
  ) {
    this.settings = { ...DEFAULT_SIGN_IN_GUARDS, ...options.settings };
    this.now = options.now ?? Date.now;
  }

  /**
   * Whether a password (or client secret) for `account` may be checked now, from `address`
   * (see addressKey). When it may, the try is already counted as a failure.
   */
  async begin(account: string, address: string): Promise<GuardDecision> {
    const now = this.now();
    const accountKey = guardKey('account', account);
    const addressKeyed = guardKey('address', address);
    const decision = await this.db.transaction(async (trx): Promise<GuardDecision> => {
      // Always in the same order ('account:' < 'address:'), so two tries never deadlock.
      const keys = [accountKey, addressKeyed].sort();
      await trx('sign_in_guards')
        .insert(keys.map((key) => ({ key })))
        .onConflict('key')
        .ignore();
      const rows = (await trx('sign_in_guards').whereIn('key', keys).orderBy('key').forUpdate().select('key', 'failures', 'lastFailureAt')) as GuardRow[];
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const acct = stateOf(byKey.get(accountKey), this.settings.account, now);
      const addr = stateOf(byKey.get(addressKeyed), this.settings.address, now);
      const refuse = (waiting: 'account' | 'address', until: number): GuardDecision => ({ allowed: false, waiting, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) });
      if (addr.waitUntil > now) return refuse('address', addr.waitUntil);
      // An address that has not been failing may still try an account that waits: the owner.
      if (acct.waitUntil > now && addr.failures > 0) return refuse('account', acct.waitUntil);
      const at = new Date(now);
      await trx('sign_in_guards').where({ key: accountKey }).update({ failures: acct.failures + 1, lastFailureAt: at, updatedAt: at });
      await trx('sign_in_guards').where({ key: addressKeyed }).update({ failures: addr.failures + 1, lastFailureAt: at, updatedAt: at });
      return {
        allowed: true,
        attempt: {
          succeeded: async () => {
            await this.db.transaction(async (t) => {
              await t('sign_in_guards').where({ key: accountKey }).update({ failures: 0, lastFailureAt: null, updatedAt: new Date(this.now()) });
              await t('sign_in_guards').where({ key: addressKeyed }).update({ failures: t.raw('greatest(failures - 1, 0)') });
            });
          },
        },
      };
    });
    if (decision.allowed) this.sweep(now);
    return decision;
  }

  /** Forgets guards nobody has failed at for a day, at most every ten minutes per process. */
  private sweep(now: number) {
    if (now - this.lastSweep < 10 * 60_000) return;
    this.lastSweep = now;
    const longest = Math.max(this.settings.account.forgetAfterSeconds, this.settings.address.forgetAfterSeconds) * 1000;
    this.db('sign_in_guards')
      .where('updatedAt', '<', new Date(now - longest))
      .delete()
      .catch(() => undefined);
  }
}

/** A row's key; whatever someone typed as an email address is hashed past a sane length (an index entry has a limit). */
const guardKey = (kind: 'account' | 'address', name: string) => `${kind}:${name.length > 256 ? `sha256:${createHash('sha256').update(name).digest('hex')}` : name}`;

/** The guard key of an account: email addresses without case, API clients by their id. */
export const accountKey = (kind: 'user' | 'client', name: string) => (kind === 'user' ? `user:${name.trim().toLowerCase()}` : `client:${name}`);

/**
 * The rate-limit key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64
 * network, since one host usually owns a whole /64.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - headParts.length - tailParts.length : 0;
  const groups = [...headParts, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
