import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { SendingDomain, SendingDomainRecord } from '../../../../shared/cloud/sending-domains';
import { useSession } from '../../../state/session';
import { ConfirmDialog } from './ConfirmDialog';
import { CopyButton } from './CopyButton';
import { Feedback } from './PracticeSettings';
import { addSendingDomain, listSendingDomains, publishInDemoDns, removeSendingDomain, verifySendingDomain } from './sending-domain-actions';
import { focusNextFrame } from '../../../lib/focus-next-frame';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The domain's state in one sentence: what it is, and what to do next. */
export function domainStatusText(d: SendingDomain): string {
  switch (d.status) {
    case 'verified': {
      const since = `Verified${d.verifiedAt ? ` since ${when(d.verifiedAt)}` : ''}`;
      // adkim=s: mail From a subdomain signed with this domain's key would fail DMARC at the receiver.
      if (d.strictAlignment) {
        return `${since}. DMARC asks for strict DKIM alignment (adkim=s): only addresses at exactly ${d.display} can send, not its subdomains. To send From a subdomain, connect and verify it too, or relax the DMARC record (adkim=r) and choose Verify.`;
      }
      return `${since}: email steps can send From any address at ${d.display} or its subdomains (signed with its DKIM key).`;
    }
    case 'pending':
      return d.lastCheckedAt ? 'Not verified yet.' : 'Not verified yet: add the two records below at your DNS provider, then choose Verify.';
    case 'failed':
      return `Not verified: ${d.failure ?? 'its records were not found'}`;
  }
}

const purposeLabel: Record<SendingDomainRecord['purpose'], string> = {
  verification: 'Verification record',
  dkim: 'DKIM record (signs your mail)',
};

function RecordCard(props: { record: SendingDomainRecord; domain: string; onCopied: (message: string) => void }) {
  const r = props.record;
  const label = purposeLabel[r.purpose];
  return (
    <div className="dns-record">
      <h5>
        {label} <span className="muted">(TXT)</span>
      </h5>
      <dl>
        <dt>Name</dt>
        <dd>
          <code>{r.name}</code> <CopyButton text={r.name} what={`${r.purpose === 'dkim' ? 'DKIM' : 'verification'} record name for ${props.domain}`} onCopied={props.onCopied} />
        </dd>
        <dt>Value</dt>
        <dd>
          <code className="dns-value">{r.value}</code>{' '}
          <CopyButton text={r.value} what={`${r.purpose === 'dkim' ? 'DKIM' : 'verification'} record value for ${props.domain}`} onCopied={props.onCopied} />
        </dd>
        <dt>Last check</dt>
        <dd className={r.check && r.check.outcome !== 'found' ? 'field-error' : undefined}>{r.check ? r.check.message : 'Not checked yet.'}</dd>
      </dl>
    </div>
  );
}

function DomainCard(props: {
  domain: SendingDomain;
  embedded: boolean;
  busy: boolean;
  onVerify: () => void;
  onPublish: () => void;
  onRemove: () => void;
  onCopied: (message: string) => void;
}) {
  const d = props.domain;
  return (
    <li className="settings-card domain-card">
      <h4>
        {d.display}
        {d.display !== d.domain ? <span className="muted"> ({d.domain})</span> : null} <span className={`domain-status domain-status-${d.status}`}>{d.status === 'verified' ? 'Verified' : d.status === 'pending' ? 'Pending' : 'Failed'}</span>
      </h4>
      <p className={d.status === 'failed' ? 'field-error' : undefined}>{domainStatusText(d)}</p>
      {d.lastCheckNote ? <p className="field-warning">{d.lastCheckNote}</p> : null}
      <p className="muted">{d.lastCheckedAt ? `Last checked ${when(d.lastCheckedAt)}.` : 'Not checked yet.'} The cloud also checks by itself, every hour while it is not verified and twice a day once it is.</p>
      {d.records.map((r) => (
        <RecordCard key={r.purpose} record={r} domain={d.display} onCopied={props.onCopied} />
      ))}
      <div className="automation-row">
        <button type="button" disabled={props.busy} onClick={props.onVerify}>
          {props.busy ? 'Checking DNS…' : `Verify ${d.display}`}
        </button>
        {props.embedded ? (
          <button type="button" disabled={props.busy} onClick={props.onPublish}>
            Publish in the demo DNS
          </button>
        ) : null}
        <button type="button" disabled={props.busy} onClick={props.onRemove}>
          Remove {d.display}
        </button>
      </div>
    </li>
  );
}

/**
 * Settings → Email sending: the domains Send Email steps send From. An admin connects a domain,
 * publishes the two TXT records the cloud issued at the domain's DNS provider and chooses Verify;
 * the page shows each record's last lookup in words. In the demo practice, "Publish in the demo
 * DNS" plays the DNS provider's part (a DNS server on this computer that the demo cloud asks).
 */
export function SendingDomainsView() {
  const [domains, setDomains] = useState<SendingDomain[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [input, setInput] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<SendingDomain | null>(null);
  const embedded = useSession((s) => s.appInfo?.cloud.mode === 'embedded');
  const inputId = useId();

  const load = useCallback(async () => {
    const result = await listSendingDomains();
    if (result.ok) {
      setDomains(result.value);
      setError(null);
    } else setError(result.error.message);
  }, []);
  useEffect(() => void load(), [load]);

  const replace = (updated: SendingDomain) => setDomains((list) => (list ?? []).map((d) => (d.id === updated.id ? updated : d)));

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setStatus('');
    if (!input.trim()) return setInputError('Enter the domain you send email from, such as glowmedspa.com.');
    const result = await addSendingDomain(input);
    if (!result.ok) {
      setInputError(result.error.message);
      focusNextFrame(() => document.getElementById(inputId));
      return;
    }
    setInputError(null);
    setInput('');
    setDomains((list) => [...(list ?? []), result.value].sort((a, b) => a.domain.localeCompare(b.domain)));
    setStatus(`Connected ${result.value.display}: add its two records at your DNS provider, then choose Verify.`);
  };

  const verify = async (d: SendingDomain) => {
    setBusyId(d.id);
    setStatus(`Looking up ${d.display}'s records in DNS…`);
    const result = await verifySendingDomain(d.id);
    setBusyId(null);
    if (!result.ok) {
      setStatus('');
      return setError(result.error.message);
    }
    setError(null);
    replace(result.value);
    setStatus(result.value.status === 'verified' ? `${d.display} is verified.` : `${d.display} is not verified: ${result.value.failure ?? 'see its records below'}`);
  };

  const publish = async (d: SendingDomain) => {
    const result = await publishInDemoDns(d);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setStatus(`Published ${d.display}'s records in the demo DNS: choose Verify.`);
  };

  return (
    <section className="ws-page" aria-labelledby="ws-email-title">
      <h3 id="ws-email-title">Sending domains</h3>
      <p className="muted">
        Send Email and email Internal Notification steps send From an address on one of these domains (or a subdomain of one, such as news.glowmedspa.com, unless
        the domain's DMARC record asks for strict DKIM alignment) once the domain is verified, and a Review Request goes From the assigned user's address only when it is on one. Add the two TXT records shown for a domain at
        its DNS provider, then choose Verify. Mail From a verified domain or its subdomains is signed with the domain's DKIM key, so inboxes can tell it really
        comes from you. International names may be typed as they are read (bücher.de).
      </p>
      {embedded ? (
        <p className="ws-preview">
          Demo practice: DNS here is a stand-in on this computer, not the internet's. “Publish in the demo DNS” adds a domain's records there, as your DNS provider
          would; Verify then looks them up for real. Nothing leaves this computer.
        </p>
      ) : null}
      <Feedback error={error} status={status} />
      <form className="automation-row" onSubmit={(e) => void add(e)} noValidate>
        <label htmlFor={inputId}>Domain to send from</label>
        <input
          id={inputId} value={input} onChange={(e) => setInput(e.target.value)} placeholder="glowmedspa.com" autoComplete="off" spellCheck={false}
          aria-invalid={inputError ? true : undefined} aria-describedby={inputError ? `${inputId}-error` : undefined}
        />
        <button type="submit">Connect domain</button>
        {inputError ? (
          <span id={`${inputId}-error`} className="field-error">
            {inputError}
          </span>
        ) : null}
      </form>
      {domains === null ? (
        error ? null : <p>Loading sending domains…</p>
      ) : domains.length === 0 ? (
        <p>No sending domain is connected: email steps cannot send until one is verified.</p>
      ) : (
        <ul className="domain-list" aria-label="Sending domains">
          {domains.map((d) => (
            <DomainCard
              key={d.id} domain={d} embedded={embedded} busy={busyId === d.id} onCopied={setStatus}
              onVerify={() => void verify(d)} onPublish={() => void publish(d)} onRemove={() => setRemoving(d)}
            />
          ))}
        </ul>
      )}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.display}?`} confirmLabel="Remove"
          onConfirm={async () => {
            const result = await removeSendingDomain(removing.id);
            return result.ok ? null : result.error.message;
          }}
          onClose={(done) => {
            const name = removing.display;
            setRemoving(null);
            if (done) void load().then(() => setStatus(`Removed ${name}.`));
          }}
        >
          <p>Email steps From {removing.display} or its subdomains stop sending (each run says why) and cannot be saved until it is connected and verified again, with new records.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
