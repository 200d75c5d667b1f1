import { useState } from 'react';
import { getBridge } from '../../bridge';
import { cleanList, TextField } from './fields';

type Kind = { kind: 'email'; fromName: string; fromEmail: string; subject: string; body: string } | { kind: 'sms'; message: string; fromNumberId: string | null; attachmentUrls?: readonly string[] } | { kind: 'slack'; connectionId: string; target: string; event: 'direct_message' | 'public_channel' | 'private_channel'; text: string };

/**
 * Send Test Mail / Send Test SMS / Send test Slack message from an action panel: a real send to
 * the one address, number or Slack target typed here (the stand-ins in the embedded default); the
 * answer says where it went, or the plain reason it did not.
 */
export function TestSend(props: Kind) {
  const [to, setTo] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string; body?: string } | null>(null);
  const [sending, setSending] = useState(false);
  const label = props.kind === 'email' ? 'Test email address' : props.kind === 'sms' ? 'Test Phone Number (with country code)' : null;
  const button = props.kind === 'email' ? 'Send Test Mail' : props.kind === 'sms' ? 'Send Test SMS' : 'Send test Slack message';
  const send = async () => {
    setSending(true);
    setResult(null);
    const r =
      props.kind === 'email'
        ? await getBridge().automation.testEmail({ to, fromName: props.fromName, fromEmail: props.fromEmail, subject: props.subject, body: props.body })
        : props.kind === 'sms'
          ? await getBridge().automation.testSms({ to, message: props.message, fromNumberId: props.fromNumberId, attachmentUrls: cleanList(props.attachmentUrls ?? []) })
          : await getBridge().automation.testSlack({ connectionId: props.connectionId, target: props.target, kind: props.event, text: props.text });
    setSending(false);
    if (!r.ok) return setResult({ ok: false, text: r.error.message });
    const sample = 'sampleFields' in r.value && r.value.sampleFields.length ? ` Custom values were filled with sample values (${r.value.sampleFields.map((f) => `{{${f}}}`).join(', ')}).` : '';
    // The text as it went (trigger links as the working short links it carried), when the cloud says.
    const body = 'body' in r.value ? r.value.body : undefined;
    setResult({ ok: true, text: props.kind === 'slack' ? 'Sent to Slack.' : `Sent to ${to}.${sample}`, ...(body ? { body } : {}) });
  };
  const disabled = sending || (props.kind === 'slack' ? !props.connectionId || !props.target || !props.text : !to);
  return (
    <fieldset className="field test-send">
      <legend>Test</legend>
      {label ? <TextField label={label} value={to} onChange={setTo} type={props.kind === 'email' ? 'email' : 'tel'} /> : null}
      <button type="button" disabled={disabled} onClick={() => void send()}>
        {sending ? 'Sending…' : button}
      </button>
      <div role="status" className={result?.ok === false ? 'field-error' : undefined}>
        <p>{result?.text ?? ''}</p>
        {result?.body ? (
          <>
            <p>The text as sent:</p>
            <p className="test-send-body" data-testid="test-send-body">
              {result.body}
            </p>
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
