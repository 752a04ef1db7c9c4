// Waiting for a workflow (or anything durable) to get somewhere: reads until `ok` holds. A read
// that fails is read again — right after a start, a query can fail until a worker has polled —
// and on a loaded 2-core machine a first build can take a while, hence the generous deadline.
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what = 'the condition', timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value?: T; error?: unknown } = {};
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = 'error' in last ? `the last read failed: ${String(last.error)}` : `last saw ${JSON.stringify(last.value)}`;
      throw new Error(`timed out waiting for ${what}; ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
