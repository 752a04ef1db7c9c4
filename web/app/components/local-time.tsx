// An instant in the reader's own time, with its zone named ("Dec 4, 2026, 09:15:02 MST"). The
// server cannot know the reader's zone, so the page first shows the time the loader wrote (in a
// named zone too, UTC), and the browser rewrites it in its own zone once the page has loaded.
import { useEffect, useState } from 'react';

const WRITTEN: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

/** An instant as people read it, "Dec 4, 2026, 09:15:02 MST": in `zone`, else in the zone of whoever runs this (the browser). */
export function inZone(iso: string, zone?: string): string {
  return new Date(iso).toLocaleString('en-US', { ...WRITTEN, ...(zone && { timeZone: zone }) });
}

export function LocalTime({ iso, written }: { iso: string; /** As the loader wrote it, zone named. */ written: string }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => setLocal(inZone(iso)), [iso]);
  return <time dateTime={iso}>{local ?? written}</time>;
}

/** The browser's time zone (e.g. "America/Phoenix") once the page has loaded; '' on the server. */
export function useReadersZone(): string {
  const [zone, setZone] = useState('');
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return zone;
}
