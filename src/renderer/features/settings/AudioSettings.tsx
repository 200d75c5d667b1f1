import { useState } from 'react';
import { useVoiceStore } from '../../voice';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { setMicrophone, setRingers, setSpeakers, testRinger } from './settings-actions';

/** Microphone, speaker and ringer outputs (several ringers allowed), with a ringer test. */
export function AudioSettings() {
  const audio = useVoiceStore((s) => s.audio);
  const started = useVoiceStore((s) => s.engine !== null);
  const [error, setError] = useState<string | null>(null);
  // No ringer chosen means the system's default output rings: tick it, so the screen says what happens.
  const defaultOutput = audio.outputs.find((d) => d.id === 'default')?.id ?? audio.outputs[0]?.id;
  const ringers = audio.ringers.length > 0 ? audio.ringers : defaultOutput ? [defaultOutput] : [];
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError((e as Error).message));
  };
  return (
    <fieldset className="settings-section">
      <legend>Audio</legend>
      <ErrorAlert message={error} />
      <label className="row">
        Microphone
        <select value={audio.microphone ?? ''} onChange={(e) => run(() => setMicrophone(e.target.value || null))}>
          <option value="">System default</option>
          {audio.inputs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {audio.outputSelectionSupported ? (
        <>
          <label className="row">
            Speaker (calls)
            <select value={audio.speakers[0] ?? ''} onChange={(e) => run(() => setSpeakers(e.target.value ? [e.target.value] : []))}>
              <option value="">System default</option>
              {audio.outputs.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="ringers">
            <legend>Ring on</legend>
            {audio.outputs.map((d) => {
              // The last ticked output stays ticked: the phone always rings somewhere.
              const only = ringers.length === 1 && ringers[0] === d.id;
              return (
                <label key={d.id} className="check">
                  <input
                    type="checkbox"
                    checked={ringers.includes(d.id)}
                    disabled={only}
                    aria-describedby={only ? 'ringer-last' : undefined}
                    onChange={(e) => run(() => setRingers(e.target.checked ? [...ringers, d.id] : ringers.filter((id) => id !== d.id)))}
                  />
                  {d.label}
                </label>
              );
            })}
            {ringers.length === 1 ? (
              <p className="hint" id="ringer-last">
                The phone always rings on at least one output: tick another before unticking this one.
              </p>
            ) : null}
          </fieldset>
        </>
      ) : (
        <p className="hint">This system plays calls and the ringtone on its default output.</p>
      )}
      <button type="button" onClick={() => run(testRinger)} disabled={!started}>
        Test my ringer
      </button>
    </fieldset>
  );
}
