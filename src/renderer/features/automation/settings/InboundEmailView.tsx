import { useState } from 'react';
import type { InboundEmailSettings } from '../../../../shared/cloud/inbound-email';
import { getBridge } from '../../../bridge';
import { useSession } from '../../../state/session';
import { ConfirmDialog } from './ConfirmDialog';
import { CopyButton } from './CopyButton';
import { Feedback } from './PracticeSettings';
import { useLoaded } from './use-loaded';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Whether replies have reached the cloud, in words. Nothing is "connected" until a signed message has really arrived. */
export function arrivalText(s: Pick<InboundEmailSettings, 'lastReceivedAt' | 'lastMatchedAt'>): string {
  if (!s.lastReceivedAt) return 'No reply received yet. Replies arrive only once your mail provider (or a relay) posts them to this URL, signed with this secret.';
  const matched = s.lastMatchedAt ? `The last that answered an email a workflow sent (counted as Replied): ${when(s.lastMatchedAt)}.` : 'None has answered an email a workflow sent yet.';
  return `Last message received: ${when(s.lastReceivedAt)}. ${matched}`;
}

/** The URL cannot be reached from the internet: say why, and what reaches it instead. */
function ReachNote(props: { embedded: boolean }) {
  return (
    <p className="ws-preview">
      {props.embedded
        ? 'Demo practice: this URL is on this computer, so no mail provider can reach it. The Demo inbox’s Reply posts here instead, signed the same way.'
        : 'This URL is on the cloud server’s own computer (localhost): no mail provider can reach it. The server’s public address (CLOUD_PUBLIC_URL) must be set first.'}
    </p>
  );
}

/**
 * Settings → Email replies: where the practice's mail provider posts the replies to workflow emails
 * (they count Replied and end Stop on Response runs). Shows the webhook URL and the signing secret
 * (masked until Reveal), how to sign, when a message last arrived, and Rotate secret — the old
 * secret stops working at once. The cloud keeps the secret and refuses non-admins.
 */
export function InboundEmailView() {
  const loaded = useLoaded(() => getBridge().workflowSettings.inboundEmail());
  // A rotation's answer replaces what was loaded (it carries the new secret).
  const [rotated, setRotated] = useState<InboundEmailSettings | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');
  const s = rotated ?? loaded.value;

  const rotate = async (): Promise<string | null> => {
    const result = await getBridge().workflowSettings.rotateInboundEmailSecret();
    if (!result.ok) return result.error.message;
    setRotated(result.value);
    setRevealed(false);
    return null;
  };

  return (
    <section className="ws-page" aria-labelledby="ws-replies-title">
      <h3 id="ws-replies-title">Inbound email webhook</h3>
      <p className="muted">
        When a contact answers an email a workflow sent, the reply counts as Replied on its Send Email step and ends the contact’s runs in workflows with Stop
        on Response. The cloud does not read any mailbox: your mail provider (or a relay) must post each message it receives to the URL below, signed with
        the secret.
      </p>
      <Feedback error={loaded.failure} status={status} />
      {s === null ? (
        loaded.failure ? null : <p>Loading…</p>
      ) : (
        <>
          {s.loopback ? <ReachNote embedded={embedded} /> : null}
          <p className={s.lastReceivedAt ? undefined : 'field-warning'} data-testid="inbound-arrival">
            {arrivalText(s)}
          </p>
          <div className="dns-record">
            <dl>
              <dt>Webhook URL</dt>
              <dd>
                <code>{s.url}</code> <CopyButton text={s.url} what="webhook URL" onCopied={setStatus} />
              </dd>
              <dt>Signing secret</dt>
              <dd>
                {revealed ? (
                  <code data-testid="inbound-secret">{s.secret}</code>
                ) : (
                  <code data-testid="inbound-secret">
                    <span aria-hidden="true">••••••••••••••••</span>
                    <span className="sr-only">hidden</span>
                  </code>
                )}{' '}
                <button type="button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
                  {revealed ? 'Hide' : 'Reveal'}
                </button>{' '}
                <CopyButton text={s.secret} what="signing secret" onCopied={setStatus} />
              </dd>
              <dt>How to sign</dt>
              <dd>
                Post each message raw (header <code>Content-Type: {s.contentType}</code>, up to {Math.round(s.maxBytes / (1024 * 1024))} MB) with the header{' '}
                <code>
                  {s.signatureHeader}: {s.signatureFormat}
                </code>
                , where <code>t</code> is the time of sending; a signature more than {Math.round(s.toleranceSeconds / 60)} minutes off is refused.
              </dd>
              <dt>Secret rotated</dt>
              <dd>{s.rotatedAt ? when(s.rotatedAt) : 'Never.'}</dd>
            </dl>
          </div>
          <div className="automation-row">
            <button type="button" onClick={() => setConfirming(true)}>
              Rotate secret…
            </button>
          </div>
        </>
      )}
      {confirming ? (
        <ConfirmDialog
          title="Rotate the signing secret?" confirmLabel="Rotate secret" onConfirm={rotate}
          onClose={(done) => {
            setConfirming(false);
            if (done) setStatus('Secret rotated: give your mail provider the new secret now.');
          }}
        >
          <p>The current secret stops working at once: every message your mail provider signs with it is refused until it is given the new secret.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
