// Voice tracks: the voice-track slots of a day, each with its talk-over window (what ends
// before it and its outro, what starts after it and its intro) and its take — upload a file or
// record one in the browser, listen, replace or remove.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { Recorder } from '../components/recorder.js';
import { api, ApiError, apiUpload } from '../lib/api.server.js';
import { formatBroadcastDate, length, stationTime } from '../lib/format.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Voice tracks · LibreLog' }];

interface Neighbour {
  title: string;
  artist: string | null;
  startsAt: string;
  lengthMs: number;
  talkOverMs: number | null;
}
interface Slot {
  date: string;
  hour: number;
  clock: string;
  clockElementId: string;
  slotIndex: number;
  title: string | null;
  lengthMs: number | null;
  startsAt: string | null;
  before: Neighbour | null;
  after: Neighbour | null;
  voiceTrackId: string | null;
}
interface VoiceTrack {
  id: string;
  title: string;
  lengthMs: number;
  originalFilename: string | null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const station = await api<{ slug: string; name: string; timezone: string }>(request, `/stations/${slug}`);
  const asked = new URL(request.url).searchParams.get('date');
  const date = asked && DateTime.fromISO(asked).isValid ? asked : DateTime.now().setZone(station.timezone).plus({ days: 1 }).toISODate()!;
  const [slots, takes] = await Promise.all([api<Slot[]>(request, `/stations/${slug}/voice-slots?date=${date}`), api<VoiceTrack[]>(request, `/stations/${slug}/voice-tracks?date=${date}`)]);
  return { station, date, slots, takes: Object.fromEntries(takes.map((t) => [t.id, t])), mayRecord: mayAny(await rolesAt(request, params.station), ['voice']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const base = `/stations/${encodeURIComponent(String(params.station))}/voice-tracks`;
  const intent = text(form, 'intent');
  try {
    if (intent === 'remove') {
      const { log } = await api<{ log: { detail: string } }>(request, `${base}/${encodeURIComponent(text(form, 'voiceTrackId'))}`, { method: 'DELETE' });
      return { ok: true, message: `Removed. ${log.detail}` };
    }
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return { ok: false, message: 'Choose an audio file or record one first.' };
    const upload = new FormData();
    upload.set('file', file, file.name || 'voice-track');
    const title = text(form, 'title').trim();
    if (title) upload.set('title', title);
    if (intent === 'replace') {
      const { log } = await apiUpload<{ log: { detail: string } }>(request, `${base}/${encodeURIComponent(text(form, 'voiceTrackId'))}/audio`, 'PUT', upload);
      return { ok: true, message: `New take saved. ${log.detail}` };
    }
    for (const field of ['date', 'hour', 'clockElementId', 'slotIndex']) upload.set(field, text(form, field));
    const { voiceTrack, log } = await apiUpload<{ voiceTrack: VoiceTrack; log: { detail: string } }>(request, base, 'POST', upload);
    return { ok: true, message: `Saved "${voiceTrack.title}" (${length(voiceTrack.lengthMs)}). ${log.detail}` };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, message: error.problem.detail ?? error.problem.title };
    throw error;
  }
}

function TakeForm({ slot, take }: { slot: Slot; take: VoiceTrack | undefined }) {
  const fetcher = useFetcher<typeof action>();
  const [recording, setRecording] = useState<File | null>(null);
  const key = `${slot.hour}-${slot.clockElementId}-${slot.slotIndex}`;
  return (
    <fetcher.Form
      method="post"
      encType="multipart/form-data"
      className="take-form"
      onSubmit={(event) => {
        if (!recording) return;
        // A recording is sent in the file's place.
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        data.set('file', recording);
        fetcher.submit(data, { method: 'post', encType: 'multipart/form-data' });
      }}
    >
      <input type="hidden" name="intent" value={take ? 'replace' : 'upload'} />
      {take ? <input type="hidden" name="voiceTrackId" value={take.id} /> : null}
      <input type="hidden" name="date" value={slot.date} />
      <input type="hidden" name="hour" value={slot.hour} />
      <input type="hidden" name="clockElementId" value={slot.clockElementId} />
      <input type="hidden" name="slotIndex" value={slot.slotIndex} />
      <div className="field-row">
        <div className="field">
          <label htmlFor={`file-${key}`}>{take ? 'New take (audio file)' : 'Audio file'}</label>
          <input id={`file-${key}`} name="file" type="file" accept="audio/*" disabled={Boolean(recording)} />
        </div>
        <div className="field">
          <label htmlFor={`title-${key}`}>Title (optional)</label>
          <input id={`title-${key}`} name="title" maxLength={200} />
        </div>
      </div>
      <Recorder label={`Record the link for ${String(slot.hour).padStart(2, '0')}:00`} onRecorded={setRecording} />
      <button type="submit" disabled={fetcher.state !== 'idle'}>
        {fetcher.state !== 'idle' ? 'Sending…' : take ? 'Replace the take' : 'Save the take'}
      </button>
      {fetcher.data ? (
        <p className={fetcher.data.ok ? 'notice' : 'problem'} role={fetcher.data.ok ? 'status' : 'alert'}>
          {fetcher.data.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function Window({ label, neighbour, timezone, talkOver }: { label: string; neighbour: Neighbour | null; timezone: string; talkOver: string }) {
  if (!neighbour) return <p className="muted">{label}: nothing in the log yet.</p>;
  return (
    <p>
      <span className="muted">{label}:</span> {neighbour.title}
      {neighbour.artist ? ` — ${neighbour.artist}` : ''} <span className="muted">({stationTime(neighbour.startsAt, timezone)}, {length(neighbour.lengthMs)})</span>
      {neighbour.talkOverMs ? <span className="tag">{talkOver} {length(neighbour.talkOverMs)}</span> : null}
    </p>
  );
}

export default function VoiceTracks() {
  const { station, date, slots, takes, mayRecord } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      <h1>
        {station.name}: voice tracks for {formatBroadcastDate(date)}
      </h1>
      <Form method="get" className="inline-form">
        <div className="field">
          <label htmlFor="voice-date">Broadcast day</label>
          <input id="voice-date" name="date" type="date" defaultValue={date} />
        </div>
        <button type="submit" className="secondary">
          Show
        </button>
      </Form>
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      {slots.length === 0 ? (
        <div className="empty">
          <p>No voice-track slots on this day.</p>
          <p className="muted">Slots come from the VT elements of the clocks that play the day; add one in the clock builder.</p>
        </div>
      ) : (
        slots.map((slot) => {
          const take = slot.voiceTrackId ? takes[slot.voiceTrackId] : undefined;
          return (
            <section key={`${slot.hour}-${slot.clockElementId}-${slot.slotIndex}`} className="voice-slot" aria-label={`Slot at ${String(slot.hour).padStart(2, '0')}:00`}>
              <h2>
                {slot.startsAt ? stationTime(slot.startsAt, station.timezone) : `${String(slot.hour).padStart(2, '0')}:00`} · {slot.title ?? 'Voice track'}{' '}
                <span className="muted">
                  ({slot.clock}
                  {slot.lengthMs ? `, about ${length(slot.lengthMs)}` : ''})
                </span>
              </h2>
              <Window label="Before" neighbour={slot.before} timezone={station.timezone} talkOver="outro" />
              <Window label="After" neighbour={slot.after} timezone={station.timezone} talkOver="intro" />
              {take ? (
                <div className="take">
                  <p>
                    Take: <strong>{take.title}</strong> ({length(take.lengthMs)}){take.originalFilename ? <span className="muted"> · {take.originalFilename}</span> : null}
                  </p>
                  <audio controls preload="none" src={`/stations/${station.slug}/voice-tracks/${take.id}/audio`} aria-label={`Listen to ${take.title}`} />
                  {mayRecord ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="voiceTrackId" value={take.id} />
                      <button type="submit" className="secondary" disabled={busy}>
                        Remove the take
                      </button>
                    </Form>
                  ) : null}
                </div>
              ) : (
                <p className="muted">No take yet.</p>
              )}
              {mayRecord ? <TakeForm slot={slot} take={take} /> : null}
            </section>
          );
        })
      )}
    </>
  );
}
