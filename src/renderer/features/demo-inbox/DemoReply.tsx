import { useEffect, useId, useRef, useState } from 'react';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { replyOutcome, sendDemoReply } from './demo-inbox-actions';

const DEFAULT_REPLY = 'Thanks — see you then!';

/**
 * Reply on a caught email (Demo inbox only): writes the demo contact's answer and posts it through
 * the practice's signed inbound email webhook, the way a mail provider would, so a newcomer sees a
 * Send Email step's Replied move and Stop on Response end the run.
 */
export function DemoReply(props: { messageId: string; from: string }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(DEFAULT_REPLY);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const fieldId = useId();
  const opener = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const wasOpen = useRef(false);
  // Opening the reply puts the keyboard in it; closing puts it back on Reply (rendered again by then).
  useEffect(() => {
    if (open) field.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const close = () => setOpen(false);
  const send = async () => {
    setSending(true);
    setError(null);
    const result = await sendDemoReply(props.messageId, text);
    setSending(false);
    if ('error' in result) return setError(result.error);
    setOutcome(replyOutcome(result.result));
    close();
  };
  return (
    <div className="demo-reply">
      {open ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor={fieldId}>Reply as {props.from}</label>
          <textarea id={fieldId} rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} ref={field} />
          <ErrorAlert message={error} />
          <div className="demo-reply-actions">
            <button type="submit" disabled={sending || text.trim().length === 0}>
              {sending ? 'Sending reply…' : 'Send reply'}
            </button>
            <button type="button" onClick={close} disabled={sending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" ref={opener} onClick={() => (setOpen(true), setOutcome(null))}>
          Reply
        </button>
      )}
      <p role="status" className="hint">
        {outcome}
      </p>
    </div>
  );
}
