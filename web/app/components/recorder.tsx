// Recording a voice track in the browser (MediaRecorder): record, listen back, then send it
// with the slot's form. Browsers without a microphone or MediaRecorder just see the file input.
import { useEffect, useRef, useState } from 'react';

export function Recorder(props: { onRecorded: (file: File | null) => void; label: string }) {
  const [state, setState] = useState<'idle' | 'recording' | 'recorded' | 'unavailable'>('idle');
  const [url, setUrl] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  useEffect(() => {
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) setState('unavailable');
  }, []);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);

  async function start() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks: Blob[] = [];
      const media = new MediaRecorder(stream);
      media.ondataavailable = (e) => chunks.push(e.data);
      media.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        const blob = new Blob(chunks, { type: media.mimeType || 'audio/webm' });
        setUrl(URL.createObjectURL(blob));
        setState('recorded');
        props.onRecorded(new File([blob], `recording.${blob.type.includes('ogg') ? 'ogg' : 'webm'}`, { type: blob.type }));
      };
      recorder.current = media;
      media.start();
      setState('recording');
    } catch {
      setState('unavailable');
    }
  }

  if (state === 'unavailable') return <p className="muted">Recording needs a microphone and a browser that allows it; upload a file instead.</p>;
  return (
    <div className="recorder" aria-label={props.label}>
      {state === 'recording' ? (
        <button type="button" onClick={() => recorder.current?.stop()}>
          Stop recording
        </button>
      ) : (
        <button type="button" className="secondary" onClick={() => void start()}>
          {state === 'recorded' ? 'Record again' : 'Record'}
        </button>
      )}
      {state === 'recording' ? <span role="status">Recording…</span> : null}
      {url ? <audio controls src={url} aria-label="The recording" /> : null}
      {state === 'recorded' ? (
        <button type="button" className="link-button" onClick={() => (setUrl(null), setState('idle'), props.onRecorded(null))}>
          Discard
        </button>
      ) : null}
    </div>
  );
}
