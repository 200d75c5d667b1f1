import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { CustomValuePicker } from './CustomValuePicker';
import { unsuppliedFields, type FieldTriggerLinks, type MergeScope } from './merge-fields';

/** The action panels' form pieces: labelled, with inline errors and (for merge-field text) the tag icon and its warnings. */

export function FieldError(props: { id: string; message?: string }) {
  return props.message ? (
    <span id={props.id} className="field-error">
      {props.message}
    </span>
  ) : null;
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** Offer the custom-value picker (merge fields) for this trigger; `triggerLinks` for a text a contact receives (FieldTriggerLinks). */
  merge?: { trigger: MergeScope; triggerLinks?: FieldTriggerLinks };
  multiline?: boolean;
  type?: string;
  required?: boolean;
  placeholder?: string;
  hint?: ReactNode;
  /** A problem that does not stop this panel's Save (it is named again when the workflow is saved). */
  warning?: string | null;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const warnId = `${id}-warn`;
  const hintId = `${id}-hint`;
  const cautionId = `${id}-caution`;
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const caretAfterRender = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfterRender.current === null) return;
    ref.current?.setSelectionRange(caretAfterRender.current, caretAfterRender.current);
    caretAfterRender.current = null;
  }, [props.value]);
  const warnings = props.merge ? unsuppliedFields(props.value, props.merge.trigger, props.merge.triggerLinks) : [];
  const insert = (field: string) => {
    const el = ref.current;
    const tag = `{{${field}}}`;
    const at = el?.selectionStart ?? props.value.length;
    const end = el?.selectionEnd ?? at;
    // Focus goes back at once (the picker's list, which had it, is about to close) and the caret
    // moves after the tag as the new value renders, before any next key: a key typed right after
    // the pick lands in the field, after the tag.
    el?.focus();
    caretAfterRender.current = at + tag.length;
    props.onChange(props.value.slice(0, at) + tag + props.value.slice(end));
  };
  const describedBy = [props.error ? errorId : '', props.warning ? cautionId : '', props.hint ? hintId : '', warnings.length ? warnId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id, ref, value: props.value, required: props.required, placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-input">
        {props.multiline ? (
          <textarea {...common} rows={5} onChange={(e) => props.onChange(e.target.value)} />
        ) : (
          <input {...common} type={props.type ?? 'text'} onChange={(e) => props.onChange(e.target.value)} />
        )}
        {props.merge ? <CustomValuePicker trigger={props.merge.trigger} triggerLinks={props.merge.triggerLinks} fieldLabel={props.label} onPick={insert} /> : null}
      </div>
      {props.hint ? (
        <span id={hintId} className="muted">
          {props.hint}
        </span>
      ) : null}
      <FieldError id={errorId} message={props.error} />
      {props.warning ? (
        <span id={cautionId} className="field-warning">
          {props.warning}
        </span>
      ) : null}
      {warnings.length ? (
        <ul id={warnId} className="field-warning">
          {warnings.map((w) => (
            <li key={w.field}>{w.why}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SelectField<T extends string>(props: { label: string; value: T; options: ReadonlyArray<{ value: T; label: string }>; onChange: (value: T) => void; error?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)} aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `${id}-error` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={props.error} />
    </div>
  );
}

export function NumberField(props: { label: string; value: number; min?: number; max?: number; onChange: (value: number) => void; error?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id} type="number" value={Number.isFinite(props.value) ? props.value : ''} min={props.min} max={props.max}
        onChange={(e) => props.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} message={props.error} />
    </div>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <label className="check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      {/* One flex item: the label and its hint wrap as one sentence (apart, a narrow window squeezed the label a letter a line). */}
      <span>
        {props.label}
        {props.hint ? <span className="muted"> — {props.hint}</span> : null}
      </span>
    </label>
  );
}

/** Several choices out of a list (dispositions, users, channels…). */
export function ChecklistField<T extends string>(props: { legend: string; options: ReadonlyArray<{ value: T; label: string }>; value: readonly T[]; onChange: (value: T[]) => void; error?: string }) {
  const id = useId();
  return (
    <fieldset className="field checklist" aria-describedby={props.error ? `${id}-error` : undefined}>
      <legend>{props.legend}</legend>
      {props.options.length === 0 ? <span className="muted">None to choose from.</span> : null}
      {props.options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox" checked={props.value.includes(o.value)}
            onChange={(e) => props.onChange(e.target.checked ? [...props.value, o.value] : props.value.filter((v) => v !== o.value))}
          />
          {o.label}
        </label>
      ))}
      <FieldError id={`${id}-error`} message={props.error} />
    </fieldset>
  );
}

/** A comma-separated list (tags, Cc addresses) edited as text. */
export function ListField(props: { label: string; value: readonly string[]; onChange: (value: string[]) => void; error?: string; hint?: string; warning?: string | null }) {
  return (
    <TextField
      label={props.label} value={props.value.join(', ')} error={props.error} hint={props.hint ?? 'Separate several with commas.'} warning={props.warning}
      onChange={(text) => props.onChange(text.split(',').map((s) => s.trimStart()).filter((s, i, all) => s !== '' || i === all.length - 1))}
    />
  );
}

/** Trailing spaces and empty entries typed while editing a list are dropped before saving. */
export const cleanList = (list: readonly string[]): string[] => list.map((s) => s.trim()).filter(Boolean);

/** An editor form's last row: its submit button (“Saving…” while it saves) and Cancel. */
export function SaveCancel(props: { saveLabel: string; saving: boolean; onCancel: () => void }) {
  return (
    <div className="automation-row">
      <button type="submit" disabled={props.saving}>
        {props.saving ? 'Saving…' : props.saveLabel}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
