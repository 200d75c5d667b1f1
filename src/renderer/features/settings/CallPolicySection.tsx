import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { OUTBOUND_CALLS_PER_USER_HOUR } from '../../../shared/cloud/call-policy-limits';
import { useMyUserId } from '../../state/session';
import { useUnsavedEdits, type UnsavedEdits } from '../../state/unsaved-changes';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { loadCallPolicy, saveCallPolicy } from './call-policy-actions';
import { callPolicyChanges, discardDraft, editDraft, isEdited, policyLoaded, policySaved, useCallPolicy, validCap, type CallPolicyDraft } from './call-policy-store';
import { countryChoices, countryLabel, matchCountries } from './country-names';
import './call-policy.css';

// The cap's limits are the cloud's own (the shared schema), so the screen never offers what the cloud refuses.
const CAP_MIN = OUTBOUND_CALLS_PER_USER_HOUR.min;
const CAP_MAX = OUTBOUND_CALLS_PER_USER_HOUR.max;
const CAP_RULE = `A whole number from ${CAP_MIN} to ${CAP_MAX.toLocaleString('en')}.`;

/**
 * Settings → Call policy: where the practice's outbound calls, transfers and workflow calls/texts
 * may go, and how many calls each person may place an hour — the screen every call-policy refusal
 * points to. Admins edit and save explicitly; everyone else reads it. It lives in the cloud, so it
 * needs a connection. Unsaved edits are guarded (state/unsaved-changes.ts): leaving the page or the
 * tab, signing out or closing the window asks Save, Discard or Keep editing first.
 */
export function CallPolicySection(props: { isAdmin: boolean }) {
  const owner = useMyUserId();
  // Shown once this visit has read it from the cloud (as it is now; edits kept from before stay on top).
  const [loaded, setLoaded] = useState(false);
  const stored = useCallPolicy((s) => s.policy);
  const policy = loaded ? stored : null;
  const draft = useCallPolicy((s) => s.draft);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    const result = await loadCallPolicy();
    if (result.ok) {
      policyLoaded(owner, result.value);
      setLoaded(true);
    } else setLoadError(result.error.message);
  }, [owner]);
  useEffect(() => void load(), [load]);

  const edit = (next: Partial<CallPolicyDraft>) => {
    setSaved(false);
    setSaveError(null);
    editDraft(next);
  };

  /** Saves the draft: null once saved, else the problem (also shown in place; the draft stays: nothing typed is lost). */
  const save = async (): Promise<string | null> => {
    const { policy: current, draft: now } = useCallPolicy.getState();
    if (!current) return 'The call policy is not loaded yet.';
    const changes = callPolicyChanges(current, now);
    if (!changes) return validCap(now.cap) === null ? `Outbound calls per person per hour: ${CAP_RULE}` : null;
    setSaving(true);
    setSaveError(null);
    setSaved(false);
    const result = await saveCallPolicy(changes);
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.error.message);
      return result.error.message;
    }
    policySaved(result.value);
    setSaved(true);
    return null;
  };
  useGuardedEdits(props.isAdmin && policy !== null && isEdited(policy, draft), save);

  if (!policy) {
    return (
      <fieldset className="settings-section call-policy">
        <legend>Call policy</legend>
        {loadError ? (
          <>
            <ErrorAlert message={loadError} />
            <p>
              <button type="button" onClick={() => void load()}>
                Try again
              </button>
            </p>
          </>
        ) : (
          <p className="placeholder">Loading the call policy…</p>
        )}
      </fieldset>
    );
  }

  const home = policy.country;
  const shown = draft.allowed ?? [home];
  const changes = callPolicyChanges(policy, draft);

  return (
    <fieldset className="settings-section call-policy">
      <legend>Call policy</legend>
      <p className="hint">
        Where outbound calls, transfers and the workflows’ calls and texts may go, and how many calls each person may place in an hour. It protects the
        practice from toll fraud.
      </p>
      {props.isAdmin ? null : <p data-testid="call-policy-read-only">Only an admin can change the call policy.</p>}
      <p>
        Our own country: <strong>{countryLabel(home)}</strong>
      </p>
      <CountryList home={home} countries={shown} usingDefault={draft.allowed === null} editable={props.isAdmin} onRemove={(code) => edit({ allowed: shown.filter((c) => c !== code) })} />
      {props.isAdmin ? (
        <>
          <AddCountry allowed={shown} onAdd={(code) => edit({ allowed: [...shown, code] })} />
          <p>
            <button type="button" disabled={draft.allowed === null} onClick={() => edit({ allowed: null })}>
              Only our own country
            </button>
          </p>
          <CapInput value={draft.cap} onChange={(cap) => edit({ cap })} />
          <ErrorAlert message={saveError} />
          <div className="row">
            <button type="button" className="primary" disabled={!changes || saving} onClick={() => void save()}>
              {saving ? 'Saving…' : 'Save call policy'}
            </button>
            {saved ? <p role="status">Saved.</p> : null}
          </div>
        </>
      ) : (
        <p>
          Outbound calls per person per hour: <strong>{policy.outboundCallsPerUserHour}</strong>
        </p>
      )}
    </fieldset>
  );
}

/**
 * Registers the section's unsaved edits with the window's guard while there are some. One object per
 * dirty spell (the warning holds on to it): `save` is read through a ref, as it changes each render.
 */
function useGuardedEdits(edited: boolean, save: () => Promise<string | null>): void {
  const saveRef = useRef(save);
  saveRef.current = save;
  const edits = useMemo<UnsavedEdits | null>(() => (edited ? { what: 'Call policy', save: () => saveRef.current(), discard: discardDraft } : null), [edited]);
  useUnsavedEdits(edits);
}

function CountryList(props: { home: string; countries: readonly string[]; usingDefault: boolean; editable: boolean; onRemove: (code: string) => void }) {
  const baseId = useId();
  const last = props.countries.length === 1;
  return (
    <section aria-labelledby={`${baseId}-title`}>
      <h3 id={`${baseId}-title`} className="call-policy-title">
        Calls and texts may go to
      </h3>
      <ul className="call-policy-countries">
        {props.countries.map((code) => (
          <li key={code}>
            <span>
              {countryLabel(code)}
              {props.usingDefault ? <span className="muted"> — our own country only (the default)</span> : null}
            </span>
            {props.editable && !props.usingDefault ? (
              <button type="button" disabled={last} aria-describedby={last ? `${baseId}-last` : undefined} aria-label={`Remove ${countryLabel(code)}`} onClick={() => props.onRemove(code)}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {props.editable && !props.usingDefault && last ? (
        <p className="hint" id={`${baseId}-last`}>
          At least one country stays allowed. “Only our own country” goes back to the default.
        </p>
      ) : null}
      {!props.countries.includes(props.home) ? (
        <p className="hint call-policy-warning">Calls to {countryLabel(props.home)}, our own country, are not allowed with this list.</p>
      ) : null}
    </section>
  );
}

/** A search box narrows the list; the list picks; Enter in either adds (keyboard only, no pointer needed). */
function AddCountry(props: { allowed: readonly string[]; onAdd: (code: string) => void }) {
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const hintId = useId();
  const matches = useMemo(() => matchCountries(countryChoices(), query).filter((c) => !props.allowed.includes(c.code)), [query, props.allowed]);
  const choice = matches.some((c) => c.code === picked) ? picked : (matches[0]?.code ?? null);
  return (
    <form
      className="call-policy-add"
      onSubmit={(e) => {
        e.preventDefault();
        if (!choice) return;
        props.onAdd(choice);
        setPicked(null);
        setQuery('');
      }}
    >
      <label>
        Find a country
        <input type="search" value={query} aria-describedby={hintId} onChange={(e) => setQuery(e.target.value)} />
      </label>
      <label>
        Country to allow
        <select value={choice ?? ''} disabled={!choice} onChange={(e) => setPicked(e.target.value)}>
          {matches.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!choice}>
        Add country
      </button>
      <p className="hint" id={hintId} aria-live="polite">
        {matches.length === 0 ? `No other country matches “${query.trim()}”.` : `${matches.length} ${matches.length === 1 ? 'country matches' : 'countries match'}.`}
      </p>
    </form>
  );
}

function CapInput(props: { value: string; onChange: (value: string) => void }) {
  const hintId = useId();
  const invalid = validCap(props.value) === null;
  return (
    <div className="call-policy-cap">
      <label>
        Outbound calls per person per hour
        <input
          type="number"
          inputMode="numeric"
          min={CAP_MIN}
          max={CAP_MAX}
          step={1}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={hintId}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </label>
      <p id={hintId} className={invalid ? 'field-error' : 'hint'}>
        {CAP_RULE}
      </p>
    </div>
  );
}
