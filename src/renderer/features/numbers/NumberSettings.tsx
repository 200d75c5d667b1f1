import { useState, type FormEvent } from 'react';
import type { ManagedNumber } from '../../../shared/cloud/numbers';
import { formatPhone, parseDialTarget } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { capabilitiesText, formatMoney, TYPE_LABELS } from './number-text';
import { saveNumberSettings, type NumberChanges } from './numbers-actions';
import { useNumbers } from './numbers-store';

interface Draft {
  name: string;
  forwardingNumber: string;
  callerIdMode: 'caller' | 'number';
  callConnect: boolean;
  whisperMessage: string;
  recordCalls: boolean;
  ringTimeoutSeconds: number;
  inboundRouting: 'assigned_member' | 'ring_all';
  assignedUserId: string;
  ringAllUserIds: string[];
}

const draftOf = (n: ManagedNumber): Draft => ({
  name: n.name,
  forwardingNumber: n.forwardingNumber ?? '',
  callerIdMode: n.callerIdMode,
  callConnect: n.callConnect,
  whisperMessage: n.whisperMessage ?? '',
  recordCalls: n.recordCalls,
  ringTimeoutSeconds: n.ringTimeoutSeconds,
  inboundRouting: n.inboundRouting,
  assignedUserId: n.assignedUserId ?? '',
  ringAllUserIds: n.ringAllUserIds,
});

/** One number's settings, each saying what it does to a call. */
export function NumberSettings(props: { numberId: string; onMessage: (message: string) => void }) {
  const overview = useNumbers((s) => s.overview);
  const open = useNumbers((s) => s.open);
  const number = overview?.numbers.find((n) => n.id === props.numberId) ?? null;
  const [draft, setDraft] = useState<Draft | null>(number ? draftOf(number) : null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!overview || !number || !draft) {
    return (
      <section>
        <p className="placeholder">This number is no longer on the practice’s list.</p>
        <button type="button" onClick={() => open({ kind: 'list' })}>
          Back to numbers
        </button>
      </section>
    );
  }
  const set = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const members = overview.members;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    let forwarding: string | null = null;
    if (draft.forwardingNumber.trim()) {
      const parsed = parseDialTarget(draft.forwardingNumber);
      if (!parsed.ok) return setError(`Forwarding number: ${parsed.reason}`);
      forwarding = parsed.e164;
    }
    const changes: NumberChanges = {
      name: draft.name.trim(),
      forwardingNumber: forwarding,
      callerIdMode: draft.callerIdMode,
      callConnect: draft.callConnect,
      whisperMessage: draft.whisperMessage.trim() || null,
      recordCalls: draft.recordCalls,
      ringTimeoutSeconds: draft.ringTimeoutSeconds,
      inboundRouting: draft.inboundRouting,
      assignedUserId: draft.assignedUserId || null,
      ringAllUserIds: draft.ringAllUserIds,
    };
    setBusy(true);
    setError(null);
    const result = await saveNumberSettings(number.id, changes);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    props.onMessage(`Saved the settings of ${result.value.name}.`);
    open({ kind: 'list' });
  };

  return (
    <section aria-labelledby="number-settings-title" className="number-settings">
      <h2 id="number-settings-title">
        {number.name} · {formatPhone(number.number)}
      </h2>
      <p className="hint">
        {TYPE_LABELS[number.numberType]} · {capabilitiesText(number.capabilities)} · {number.monthlyFee ? `${formatMoney(number.monthlyFee)}/month` : 'not billed'}
      </p>
      <ErrorAlert message={error} />
      <form onSubmit={(e) => void save(e)} className="settings-form">
        <label>
          Name
          <input value={draft.name} required maxLength={100} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <fieldset>
          <legend>Who rings</legend>
          <label>
            Inbound Number of
            <select value={draft.assignedUserId} onChange={(e) => set({ assignedUserId: e.target.value })} aria-describedby="assigned-hint">
              <option value="">No one (use the routing below)</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {m.inboundNumberId && m.inboundNumberId !== number.id ? ' (has another Inbound Number)' : ''}
                </option>
              ))}
            </select>
          </label>
          <p id="assigned-hint" className="hint">
            A member’s Inbound Number rings only that member. One number per member.
          </p>
          <fieldset className="routing">
            <legend>Otherwise</legend>
            <label className="check">
              <input type="radio" name="routing" checked={draft.inboundRouting === 'assigned_member'} onChange={() => set({ inboundRouting: 'assigned_member' })} />
              Ring the caller’s assigned user (from their contact), else ring all
            </label>
            <label className="check">
              <input type="radio" name="routing" checked={draft.inboundRouting === 'ring_all'} onChange={() => set({ inboundRouting: 'ring_all' })} />
              Ring all
            </label>
          </fieldset>
          <fieldset className="ring-all">
            <legend>Ring all users — they ring together, the first to answer takes the call (none chosen: everyone {number.locationId ? 'at the number’s location' : 'in the account'})</legend>
            {members.map((m) => (
              <label key={m.id} className="check">
                <input
                  type="checkbox"
                  checked={draft.ringAllUserIds.includes(m.id)}
                  onChange={(e) => set({ ringAllUserIds: e.target.checked ? [...draft.ringAllUserIds, m.id] : draft.ringAllUserIds.filter((id) => id !== m.id) })}
                />
                {m.name}
              </label>
            ))}
          </fieldset>
          <p className="hint">Nobody to ring: the caller reaches voicemail. Forwarding (below) takes precedence over all of this.</p>
        </fieldset>
        <label>
          Forward every call to
          <input value={draft.forwardingNumber} inputMode="tel" placeholder="No forwarding" onChange={(e) => set({ forwardingNumber: e.target.value })} aria-describedby="forward-hint" />
        </label>
        <p id="forward-hint" className="hint">
          Calls go to this phone instead of the softphone; timeout, recording, whisper and call connect still apply.
        </p>
        <label>
          Caller ID shown to the member who answers
          <select value={draft.callerIdMode} onChange={(e) => set({ callerIdMode: e.target.value as Draft['callerIdMode'] })}>
            <option value="caller">The caller’s number</option>
            <option value="number">This practice number (know which line rang)</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.callConnect} onChange={(e) => set({ callConnect: e.target.checked })} />
          Call connect: the member presses a key to accept before the caller is connected
        </label>
        <label>
          Whisper message
          <textarea value={draft.whisperMessage} maxLength={500} rows={2} placeholder="None" onChange={(e) => set({ whisperMessage: e.target.value })} aria-describedby="whisper-hint" />
        </label>
        <p id="whisper-hint" className="hint">
          Played only to the member who answers, before the caller is connected (e.g. “Call from the website line”).
        </p>
        <label className="check">
          <input type="checkbox" checked={draft.recordCalls} onChange={(e) => set({ recordCalls: e.target.checked })} />
          Record calls to this number
        </label>
        <label>
          Ring for (seconds) before the call counts as missed
          <input type="number" min={5} max={120} value={draft.ringTimeoutSeconds} onChange={(e) => set({ ringTimeoutSeconds: Number(e.target.value) })} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={() => open({ kind: 'list' })}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
