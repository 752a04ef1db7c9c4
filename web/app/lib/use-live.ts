// Re-reads the page's data whenever one of the station's days changes (server-sent events
// from /live/<station>); the browser's EventSource reconnects by itself.
import { useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';

export function useLiveStation(station: string, onChange?: (change: { date: string; status: string }) => void): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    const source = new EventSource(`/live/${encodeURIComponent(station)}`);
    const refresh = (event: MessageEvent<string>) => {
      if (onChange) onChange(JSON.parse(event.data) as { date: string; status: string });
      if (revalidator.state === 'idle') revalidator.revalidate();
    };
    source.addEventListener('log.status', refresh);
    source.addEventListener('resync', refresh);
    return () => source.close();
  }, [station]);
}
