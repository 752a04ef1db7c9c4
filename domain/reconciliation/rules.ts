// The station defaults of reconciliation's windows and tolerances (docs/reconciliation.md §Parameters).
import type { TrackType } from '../vocabulary.js';
import type { ReconciliationRules } from './types.js';

const MINUTE_MS = 60_000;

export const DEFAULT_RECONCILIATION_RULES: Readonly<ReconciliationRules> = Object.freeze({
  // Short items (spots, PSAs, promos, liners, voice tracks) ±5 minutes; long or flexible ones ±10.
  matchWindowMs: Object.freeze({
    ADV: 5 * MINUTE_MS,
    PSA: 5 * MINUTE_MS,
    PRO: 5 * MINUTE_MS,
    LIN: 5 * MINUTE_MS,
    VT: 5 * MINUTE_MS,
    MUS: 10 * MINUTE_MS,
    BED: 10 * MINUTE_MS,
    INT: 10 * MINUTE_MS,
  }) as Record<TrackType, number>,
  onTimeToleranceMs: 2 * MINUTE_MS,
  hardStartToleranceMs: 10_000,
  minPlayedShare: 0.8,
  substitutionWindowMs: 2 * MINUTE_MS,
  openPlayMaxMs: 60 * MINUTE_MS,
});

/** How long after the day's end its as-run may take before the report warns. */
export const DEFAULT_AS_RUN_GRACE_MS = 24 * 60 * MINUTE_MS;

/** The defaults with the station's own settings over them. */
export function reconciliationRules(overrides: Partial<ReconciliationRules> = {}): ReconciliationRules {
  const rules: ReconciliationRules = {
    ...DEFAULT_RECONCILIATION_RULES,
    ...overrides,
    matchWindowMs: { ...DEFAULT_RECONCILIATION_RULES.matchWindowMs, ...overrides.matchWindowMs },
  };
  const problems: string[] = [];
  for (const [type, ms] of Object.entries(rules.matchWindowMs)) if (!(ms >= 0)) problems.push(`matchWindowMs.${type} must be ≥ 0`);
  for (const key of ['onTimeToleranceMs', 'hardStartToleranceMs', 'substitutionWindowMs', 'openPlayMaxMs'] as const) {
    if (!(rules[key] >= 0)) problems.push(`${key} must be ≥ 0`);
  }
  if (!(rules.minPlayedShare >= 0 && rules.minPlayedShare <= 1)) problems.push('minPlayedShare must be between 0 and 1');
  if (problems.length) throw new RangeError(`Reconciliation rules: ${problems.join('; ')}`);
  return rules;
}
