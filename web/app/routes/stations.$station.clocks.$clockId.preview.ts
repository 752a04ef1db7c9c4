// The clock builder's live preview: the hour built from the edits on screen, not saved.
import type { ActionFunctionArgs } from '@remix-run/node';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';

export async function action({ request, params }: ActionFunctionArgs) {
  const clock = JSON.parse(text(await request.formData(), 'clock')) as unknown;
  try {
    return await api<Record<string, unknown>>(request, `/stations/${encodeURIComponent(String(params.station))}/clocks/${encodeURIComponent(String(params.clockId))}/preview`, {
      method: 'POST',
      body: { clock },
    });
  } catch (error) {
    if (error instanceof ApiError) return { problem: [error.problem.detail ?? error.problem.title, ...(error.problem.errors ?? []).map((e) => e.message)].join(' · ') };
    throw error;
  }
}
