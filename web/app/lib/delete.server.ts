// Deleting through the API from a page's action: deleted, or refused because something still
// uses it — the API's 409 lists each user in words, and the page shows that list.
import { api, ApiError } from './api.server.js';

export interface DeleteResult {
  intent: 'delete';
  /** What was asked to go. */
  id: string;
  deleted: boolean;
  /** Why not: the API's sentence, and one line per user of it (empty when it simply failed). */
  refused: { detail: string; uses: string[] } | null;
}

export async function deleteThrough(request: Request, path: string, id: string): Promise<DeleteResult> {
  try {
    await api(request, path, { method: 'DELETE' });
    return { intent: 'delete', id, deleted: true, refused: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { problem } = error;
    return { intent: 'delete', id, deleted: false, refused: { detail: problem.detail ?? problem.title, uses: problem.status === 409 ? (problem.errors ?? []).map((e) => e.message) : [] } };
  }
}
