// The rule-set editor's live count: the songs the rules on screen allow now, not saved.
import type { ActionFunctionArgs } from '@remix-run/node';
import { api, ApiError } from '../lib/api.server.js';
import { readRuleSetForm } from '../lib/rule-set-form.js';

export interface RuleSetPreview {
  songs: number;
  library: number;
  sample: { id: string; title: string; artist: string | null }[];
  genres: string[];
  moods: string[];
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { body, errors } = readRuleSetForm(await request.formData());
  const { name: _name, ...rules } = body;
  // A half-typed number is no count yet: the form says what is wrong with it.
  const wrong = Object.entries(errors).filter(([field]) => field !== 'name');
  if (wrong.length) return { problem: wrong.map(([, message]) => message).join(' · ') };
  try {
    return await api<RuleSetPreview>(request, `/stations/${encodeURIComponent(String(params.station))}/rule-sets/preview`, { method: 'POST', body: rules });
  } catch (error) {
    if (error instanceof ApiError) return { problem: [error.problem.detail ?? error.problem.title, ...(error.problem.errors ?? []).map((e) => e.message)].join(' · ') };
    throw error;
  }
}
