// Approving a log with errors (domain rule 7 and 10): an error the build left in the log — no
// legal ID, an empty slot, a gap nothing could fill — is approved only when the approver
// acknowledges it with a reason. The API, the workflow and the web app all ask these functions.
import type { ExceptionKind, ExceptionSeverity } from './vocabulary.js';

/**
 * Errors about the run rather than the log's content: they are not the build's to acknowledge.
 * Lateness (`approval_at_risk`) is cured by approving; failures stop approval anyway.
 */
const ABOUT_THE_RUN: ReadonlySet<ExceptionKind> = new Set<ExceptionKind>(['approval_at_risk', 'build_failed', 'publish_failed', 'reconciliation']);

/** The longest reason kept; a reason is a sentence or two, not a report. */
export const MAX_REASON_LENGTH = 1000;

export interface Acknowledgement {
  exceptionId: string;
  reason: string;
}

/** Whether approving the log needs this exception acknowledged: an error the build found. */
export function blocksApproval(exception: { kind: ExceptionKind; severity: ExceptionSeverity }): boolean {
  return exception.severity === 'error' && !ABOUT_THE_RUN.has(exception.kind);
}

/** The exceptions of one version that its approver has to acknowledge, in their order. */
export function errorsToAcknowledge<T extends { kind: ExceptionKind; severity: ExceptionSeverity }>(exceptions: readonly T[]): T[] {
  return exceptions.filter(blocksApproval);
}

export interface AcknowledgementCheck {
  ok: boolean;
  /** Errors of the version that no acknowledgement names. */
  missing: string[];
  /** Acknowledged ids that are not errors of the version (another version's, a warning, a typo). */
  unknown: string[];
  /** Errors acknowledged without a reason (empty or only spaces). */
  withoutReason: string[];
  /** Errors acknowledged more than once. */
  repeated: string[];
  /** The acknowledgements to keep: one per error of the version, reasons trimmed. */
  accepted: Acknowledgement[];
}

/** Checks an approval's acknowledgements against the ids of the errors of the version approved. */
export function checkAcknowledgements(errorIds: readonly string[], acknowledgements: readonly Acknowledgement[]): AcknowledgementCheck {
  const errors = new Set(errorIds);
  const seen = new Set<string>();
  const unknown: string[] = [];
  const withoutReason: string[] = [];
  const repeated: string[] = [];
  const accepted: Acknowledgement[] = [];
  for (const { exceptionId, reason } of acknowledgements) {
    if (!errors.has(exceptionId)) {
      if (!unknown.includes(exceptionId)) unknown.push(exceptionId);
      continue;
    }
    if (seen.has(exceptionId)) {
      if (!repeated.includes(exceptionId)) repeated.push(exceptionId);
      continue;
    }
    seen.add(exceptionId);
    const trimmed = reason.trim();
    if (trimmed === '') withoutReason.push(exceptionId);
    else accepted.push({ exceptionId, reason: trimmed.slice(0, MAX_REASON_LENGTH) });
  }
  const missing = errorIds.filter((id) => !seen.has(id));
  return { ok: missing.length + unknown.length + withoutReason.length + repeated.length === 0, missing, unknown, withoutReason, repeated, accepted };
}

/** The check in words, for a refusal: "2 errors are not acknowledged; …". */
export function describeAcknowledgementCheck(check: AcknowledgementCheck, version: number): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    check.missing.length ? `${count(check.missing.length, 'error is', 'errors are')} not acknowledged` : '',
    check.withoutReason.length ? `${count(check.withoutReason.length, 'acknowledgement has', 'acknowledgements have')} no reason` : '',
    check.unknown.length ? `${count(check.unknown.length, 'acknowledged id is', 'acknowledged ids are')} not an error of version ${version}` : '',
    check.repeated.length ? `${count(check.repeated.length, 'error is', 'errors are')} acknowledged more than once` : '',
  ].filter(Boolean);
  return `Version ${version} is approved only with each of its errors acknowledged with a reason: ${parts.join('; ')}`;
}
