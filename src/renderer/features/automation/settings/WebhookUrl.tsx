import { useId, useState } from 'react';
import { getBridge } from '../../../bridge';
import { useAutomation } from '../automation-store';

/**
 * The Inbound Webhook trigger's URL. The cloud keeps only a hash of its secret, so the full URL is
 * shown once, when issued; issuing a new one stops the old URL at once.
 */
export function WebhookUrl() {
  const open = useAutomation((s) => s.open);
  const set = useAutomation((s) => s.set);
  const [issued, setIssued] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const urlId = useId();
  if (!open) return null;
  const has = open.hasWebhookSecret || issued !== null;
  const issue = async () => {
    setConfirming(false);
    const result = await getBridge().workflowSettings.issueWebhookSecret({ workflowId: open.id });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setIssued(result.value.url);
    set({ open: { ...open, hasWebhookSecret: true } });
  };
  return (
    <div className="field">
      <p className="muted">The posted JSON’s fields become custom values (inbound_webhook.*). Runs start only once the workflow is published.</p>
      {issued ? (
        <>
          <label htmlFor={urlId}>Webhook URL (copy it now: it is shown only once)</label>
          <input id={urlId} readOnly value={issued} onFocus={(e) => e.currentTarget.select()} />
        </>
      ) : (
        <p>{has ? 'A webhook URL was issued earlier. Its secret is not shown again; issue a new URL if it was lost.' : 'No webhook URL yet.'}</p>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {has && confirming ? (
        <div className="automation-row" role="group" aria-label="Issue a new webhook URL">
          <span>The current URL will stop working at once.</span>
          <button type="button" className="danger" onClick={() => void issue()}>
            Issue new URL
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep the current URL
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => (has ? setConfirming(true) : void issue())}>
          {has ? 'Issue a new webhook URL…' : 'Issue the webhook URL'}
        </button>
      )}
    </div>
  );
}
