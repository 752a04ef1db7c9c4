// Approving a log with errors: each error the build left needs an acknowledgement with a reason.
import { describe, expect, it } from 'vitest';
import { blocksApproval, checkAcknowledgements, describeAcknowledgementCheck, errorsToAcknowledge } from '../../domain/approval.js';

const noLegalId = { id: 'e-legal-id', kind: 'missing_legal_id', severity: 'error' } as const;
const emptySlot = { id: 'e-empty', kind: 'empty_slot', severity: 'error' } as const;
const deadAir = { id: 'e-gap', kind: 'hour_underrun', severity: 'error' } as const;
const shortHour = { id: 'w-short', kind: 'hour_underrun', severity: 'warning' } as const;
const late = { id: 'e-late', kind: 'approval_at_risk', severity: 'error' } as const;
const failed = { id: 'e-failed', kind: 'build_failed', severity: 'error' } as const;

describe('which exceptions block approval', () => {
  it('an hour without a legal ID, an empty slot and dead air are errors to acknowledge', () => {
    expect(errorsToAcknowledge([noLegalId, shortHour, emptySlot, deadAir]).map((x) => x.id)).toEqual(['e-legal-id', 'e-empty', 'e-gap']);
  });

  it('a warning does not, and neither does lateness or a failed run: those are about the run, not the log', () => {
    expect([shortHour, late, failed].map(blocksApproval)).toEqual([false, false, false]);
    expect(errorsToAcknowledge([late, failed, shortHour])).toEqual([]);
  });
});

describe('checking an approval’s acknowledgements', () => {
  const errors = ['e-legal-id', 'e-empty'];

  it('passes when every error is acknowledged with a reason, keeping the reasons trimmed', () => {
    const check = checkAcknowledgements(errors, [
      { exceptionId: 'e-empty', reason: '  The interview is live from the studio  ' },
      { exceptionId: 'e-legal-id', reason: 'The host reads the ID live at 09:00' },
    ]);
    expect(check).toMatchObject({ ok: true, missing: [], unknown: [], withoutReason: [], repeated: [] });
    expect(check.accepted).toEqual([
      { exceptionId: 'e-empty', reason: 'The interview is live from the studio' },
      { exceptionId: 'e-legal-id', reason: 'The host reads the ID live at 09:00' },
    ]);
  });

  it('a log without errors needs no acknowledgement', () => {
    expect(checkAcknowledgements([], [])).toMatchObject({ ok: true, accepted: [] });
  });

  it('names each error left unacknowledged', () => {
    const check = checkAcknowledgements(errors, [{ exceptionId: 'e-empty', reason: 'live interview' }]);
    expect(check).toMatchObject({ ok: false, missing: ['e-legal-id'] });
    expect(describeAcknowledgementCheck(check, 3)).toBe('Version 3 is approved only with each of its errors acknowledged with a reason: 1 error is not acknowledged');
  });

  it('a blank reason is no reason', () => {
    const check = checkAcknowledgements(errors, [
      { exceptionId: 'e-empty', reason: '   ' },
      { exceptionId: 'e-legal-id', reason: 'read live' },
    ]);
    expect(check).toMatchObject({ ok: false, missing: [], withoutReason: ['e-empty'] });
  });

  it('refuses ids that are not errors of the version, and an error acknowledged twice', () => {
    const check = checkAcknowledgements(errors, [
      { exceptionId: 'e-empty', reason: 'live interview' },
      { exceptionId: 'e-empty', reason: 'again' },
      { exceptionId: 'e-legal-id', reason: 'read live' },
      { exceptionId: 'w-short', reason: 'a warning of this version' },
      { exceptionId: 'e-of-version-1', reason: 'an error of an older build' },
    ]);
    expect(check).toMatchObject({ ok: false, missing: [], unknown: ['w-short', 'e-of-version-1'], repeated: ['e-empty'] });
    expect(describeAcknowledgementCheck(check, 2)).toContain('2 acknowledged ids are not an error of version 2; 1 error is acknowledged more than once');
  });
});
