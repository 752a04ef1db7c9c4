// A labelled form field with its error message tied to it (aria-describedby), as screen readers expect.
import type { ReactNode } from 'react';

export function Field(props: { name: string; label: string; error?: string | undefined; hint?: string; children: (attrs: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode }) {
  const id = `field-${props.name}`;
  const describedBy = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, name: props.name, 'aria-invalid': Boolean(props.error), 'aria-describedby': describedBy })}
      {props.hint ? (
        <p id={`${id}-hint`} className="muted hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
