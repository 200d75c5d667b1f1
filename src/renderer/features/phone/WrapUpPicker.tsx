import { NONE } from '../../lib/none';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WrapupView } from '../../../shared/ipc/views';
import { getBridge } from '../../bridge';
import { useShell } from '../../app/store';
import { useVoiceStore } from '../../voice';
import { pickerKey } from '../admin/DispositionAdmin';
import { refreshWrapups } from './phone-runtime';
import { usePhone } from './phone-store';

export const UNDO_MS = 5_000;

/** Maps a key (1…9, 0) to a disposition index, or -1. */
export const indexForKey = (key: string): number => (/^[0-9]$/.test(key) ? (Number(key) + 9) % 10 : -1);

function finishEngineCall(twilioCallSid: string) {
  const { engine, calls } = useVoiceStore.getState();
  const call = calls.find((c) => c.callSid === twilioCallSid && c.phase.name === 'wrap-up');
  if (engine && call) engine.finishWrapUp(call.id);
}

/**
 * The disposition picker shown when a call ends: the account's dispositions in admin order on keys
 * 1–0 (also global hotkeys), an optional note, one choice per call, and 5 seconds to undo before it
 * is written to the outbox. The wrap-up itself lives in main, so a crash, a reload or another call
 * never loses it.
 */
export function WrapUpPicker(props: { wrapup: WrapupView; waiting: number }) {
  const { wrapup } = props;
  const dispositions = useShell((s) => s.dispositions?.active ?? NONE);
  const locations = useShell((s) => s.directory?.locations ?? NONE);
  const selectedLocationId = usePhone((s) => s.selectedLocationId);
  const pending = usePhone((s) => (s.pendingChoice?.twilioCallSid === wrapup.twilioCallSid ? s.pendingChoice : null));
  const [note, setNote] = useState(wrapup.note ?? '');
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const firstButton = useRef<HTMLButtonElement>(null);

  const wrongLocation = wrapup.locationId !== null && selectedLocationId !== null && wrapup.locationId !== selectedLocationId && locations.length > 1;
  const callLocationName = locations.find((l) => l.id === wrapup.locationId)?.name ?? 'another location';

  useEffect(() => {
    if (!wrongLocation) firstButton.current?.focus();
  }, [wrapup.twilioCallSid, wrongLocation]);

  const choose = useCallback(
    async (index: number) => {
      const disposition = dispositions[index];
      if (!disposition || wrongLocation) return;
      setError(null);
      const result = await getBridge().wrapups.choose({ twilioCallSid: wrapup.twilioCallSid, dispositionId: disposition.id, note: note.trim() || null });
      if (!result.ok) return setError(result.error.message);
      usePhone.getState().setPendingChoice({ twilioCallSid: wrapup.twilioCallSid, dispositionId: disposition.id, deadline: Date.now() + UNDO_MS });
    },
    [dispositions, note, wrapup.twilioCallSid, wrongLocation],
  );

  const undo = async () => {
    usePhone.getState().setPendingChoice(null);
    await getBridge().wrapups.choose({ twilioCallSid: wrapup.twilioCallSid, dispositionId: null, note: note.trim() || null });
  };

  const skip = async () => {
    usePhone.getState().setPendingChoice(null);
    await getBridge().wrapups.dismiss({ twilioCallSid: wrapup.twilioCallSid });
    finishEngineCall(wrapup.twilioCallSid);
    await refreshWrapups(getBridge());
  };

  // Global hotkeys (modifier + 1…0) arrive from main as a window event.
  useEffect(() => {
    const onHotkey = (event: Event) => void choose((event as CustomEvent<number>).detail);
    window.addEventListener('softphone:disposition', onHotkey);
    return () => window.removeEventListener('softphone:disposition', onHotkey);
  }, [choose]);

  // The undo window: tick, then commit.
  useEffect(() => {
    if (!pending) return;
    const tick = setInterval(() => setNow(Date.now()), 250);
    const commit = setTimeout(async () => {
      const result = await getBridge().wrapups.commit({ twilioCallSid: pending.twilioCallSid });
      usePhone.getState().setPendingChoice(null);
      if (!result.ok) return setError(result.error.message);
      finishEngineCall(pending.twilioCallSid);
      const label = dispositions.find((d) => d.id === pending.dispositionId)?.label;
      usePhone.getState().say('info', `Logged “${label ?? 'disposition'}”.`);
      await refreshWrapups(getBridge());
    }, Math.max(0, pending.deadline - Date.now()));
    return () => {
      clearInterval(tick);
      clearTimeout(commit);
    };
  }, [pending, dispositions]);

  const chosen = pending ? dispositions.find((d) => d.id === pending.dispositionId) : null;
  return (
    <section
      tabIndex={-1}
      className="wrap-up"
      aria-labelledby="wrap-up-title"
      data-testid="wrap-up"
      onKeyDown={(e) => {
        if (e.target instanceof HTMLTextAreaElement || e.altKey || e.ctrlKey || e.metaKey) return;
        if (pending && (e.key === 'Escape' || e.key.toLowerCase() === 'u')) {
          e.preventDefault();
          void undo();
          return;
        }
        const index = indexForKey(e.key);
        if (index >= 0 && !pending) {
          e.preventDefault();
          void choose(index);
        }
      }}
    >
      <h2 id="wrap-up-title">How did the call go?</h2>
      {props.waiting > 1 ? <p className="hint">{props.waiting - 1} more call{props.waiting > 2 ? 's' : ''} waiting for a disposition.</p> : null}
      {wrongLocation ? (
        <div className="location-switch" role="alert">
          <p>This call belongs to {callLocationName}. Dispositions apply only in the call’s location.</p>
          <button type="button" onClick={() => usePhone.getState().selectLocation(wrapup.locationId)}>
            Switch to {callLocationName}
          </button>
        </div>
      ) : null}
      {chosen && pending ? (
        <div className="undo" role="status" aria-live="assertive">
          <span>
            Logged <strong>{chosen.label}</strong> — saving in {Math.ceil(Math.max(0, pending.deadline - now) / 1000)} s
          </span>
          <button type="button" onClick={() => void undo()} autoFocus>
            Undo <kbd>U</kbd>
          </button>
        </div>
      ) : (
        <ol className="disposition-picker" aria-label="Dispositions">
          {dispositions.slice(0, 10).map((d, index) => (
            <li key={d.id}>
              <button ref={index === 0 ? firstButton : undefined} type="button" disabled={wrongLocation} onClick={() => void choose(index)} aria-keyshortcuts={pickerKey(index)}>
                <kbd>{pickerKey(index)}</kbd> {d.label}
              </button>
            </li>
          ))}
        </ol>
      )}
      <label className="note">
        Note (optional)
        <textarea value={note} maxLength={4000} rows={2} onChange={(e) => setNote(e.target.value)} disabled={Boolean(pending)} />
      </label>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {!pending ? (
        <button type="button" className="link" onClick={() => void skip()}>
          Skip — no disposition applies
        </button>
      ) : null}
    </section>
  );
}
