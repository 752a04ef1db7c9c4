// Reading an error for a person: every error in its cause chain, their codes and messages.
// Shared by the explanations of a failed start and of a failed backup or restore.

/** Every error in a cause chain (and in an AggregateError), outermost first. */
export function errorChain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const visit = (e: unknown) => {
    if (e === undefined || e === null || seen.includes(e)) return;
    seen.push(e);
    if (e instanceof AggregateError) e.errors.forEach(visit);
    if (e instanceof Error) visit(e.cause);
  };
  visit(error);
  return seen;
}

/** An error's `code` (errno name, PostgreSQL SQLSTATE), if it has one. */
export const codeOf = (e: unknown): string | undefined => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined);

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
