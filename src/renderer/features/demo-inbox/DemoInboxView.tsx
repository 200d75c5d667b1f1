import { useCallback, useEffect, useState } from 'react';
import type { DemoInbox } from '../../../shared/ipc/contract-demo-inbox';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { codeIn, loadDemoInbox } from './demo-inbox-actions';
import { DemoReply } from './DemoReply';
import './demo-inbox.css';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const CHANNEL_LABELS = { email: 'Email', sms: 'Text', slack: 'Slack' } as const;
/** New codes appear without a click while the inbox is open. */
const REFRESH_MS = 4000;

/**
 * Demo inbox (embedded default only): the codes and notices the demo practice on this computer
 * "sent" — emails caught as files, texts kept by the Twilio sandbox, Slack messages kept by the Slack
 * stand-in's demo workspace — so a newcomer can finish a two-factor step without a real mailbox or
 * phone, and see a workflow's messages arrive.
 */
export function DemoInboxView() {
  const [inbox, setInbox] = useState<DemoInbox | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const result = await loadDemoInbox();
    if ('error' in result) setError(result.error);
    else {
      setError(null);
      setInbox(result.inbox);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <section className="demo-inbox" aria-labelledby="demo-inbox-title">
      <div className="demo-inbox-head">
        <h2 id="demo-inbox-title">Demo inbox</h2>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={error} />
      {inbox && !inbox.available ? <p className="placeholder">{inbox.reason}</p> : null}
      {inbox?.available ? (
        <>
          <p className="hint">
            The demo practice sends no real email, text or Slack message. What it would have sent shows here: verification codes, notices
            about changes to your profile, and what workflows and test sends post to the demo Slack workspace. <strong>Reply</strong> on an email answers it as the contact would, through the practice’s inbound email webhook: a reply to a workflow’s email counts as Replied in its statistics. Emails are also saved as <code>.eml</code> files in the <code>embedded/mail</code> folder of the app’s data
            folder.
          </p>
          {inbox.messages.length === 0 ? (
            <p className="placeholder">Nothing sent yet. Ask for a code on My profile and it appears here.</p>
          ) : (
            <ul className="demo-inbox-list" aria-label="Messages sent, newest first">
              {inbox.messages.map((m) => {
                const code = codeIn(m.body);
                return (
                  <li key={m.id} className="demo-message">
                    <p className="demo-message-meta">
                      <span className="badge">{CHANNEL_LABELS[m.channel]}</span> to <strong>{m.to}</strong>{' '}
                      <time dateTime={m.sentAt}>{timeFormat.format(new Date(m.sentAt))}</time>
                    </p>
                    {m.subject ? <h3>{m.subject}</h3> : null}
                    {code ? (
                      <p className="demo-code">
                        Code <strong data-testid="demo-code">{code}</strong>
                      </p>
                    ) : null}
                    <pre className="demo-message-body">{m.body}</pre>
                    {m.channel === 'email' && m.canReply ? <DemoReply messageId={m.id} from={m.to} /> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
