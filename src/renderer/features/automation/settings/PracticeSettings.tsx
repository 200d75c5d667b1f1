import { useEffect, useState, type FormEvent } from 'react';
import type { AutomationSettingsView } from '../../../../shared/cloud/automation-settings';
import type { ReputationSettings } from '../../../../shared/cloud/reputation';
import type { WhatsAppSettings } from '../../../../shared/cloud/whatsapp';
import { getBridge } from '../../../bridge';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { loadOptions } from '../automation-actions';
import { useAutomation } from '../automation-store';
import { CheckField, SelectField, TextField } from '../fields';

type Save<T> = Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>;

/** One settings card: loads its value, keeps an editable copy, saves and says what happened. */
function useCard<T>(load: () => Save<T>) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    void load().then((r) => (r.ok ? setValue(r.value) : setError(r.error.message)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loads once per card
  }, []);
  const save = async (work: Save<T>, done: string) => {
    const r = await work;
    if (!r.ok) {
      setStatus('');
      return setError(r.error.message);
    }
    setError(null);
    setValue(r.value);
    setStatus(done);
  };
  return { value, error, status, save };
}

/** A settings page's outcome: a problem announced at once, or what was done, announced politely. */
export function Feedback(props: { error: string | null; status: string }) {
  return (
    <>
      <ErrorAlert message={props.error} />
      <p className="automation-message" role="status" aria-live="polite">
        {props.status}
      </p>
    </>
  );
}

const dateOnly = (iso: string) => new Date(iso).toLocaleDateString();

function useAutomationSettings() {
  return useCard<AutomationSettingsView>(() => getBridge().workflowSettings.automation());
}

/** Settings → Premium actions: on/off and the premium executions used (Slack is a premium action). */
export function PremiumActionsCard() {
  const card = useAutomationSettings();
  const s = card.value;
  return (
    <section className="settings-card" aria-labelledby="ws-premium-title">
      <h3 id="ws-premium-title">Premium actions</h3>
      <Feedback error={card.error} status={card.status} />
      {s === null ? (
        card.error ? null : <p>Loading…</p>
      ) : (
        <>
          <CheckField
            label="Premium actions on" checked={s.premiumActionsEnabled}
            hint="Slack steps run only while this is on; each completed one is a premium execution"
            onChange={(on) => void card.save(getBridge().workflowSettings.updateAutomation({ premiumActionsEnabled: on }), on ? 'Premium actions are on.' : 'Premium actions are off: Slack steps are skipped with the reason.')}
          />
          <p>
            Premium executions used: <strong>{s.premiumExecutions.thisMonth}</strong> this month (since {dateOnly(s.premiumExecutions.monthStartsAt)}),{' '}
            <strong>{s.premiumExecutions.total}</strong> in all{s.premiumExecutions.since ? ` since ${dateOnly(s.premiumExecutions.since)}` : ''} (counted from the execution log, kept {s.logRetentionDays} days).
          </p>
        </>
      )}
    </section>
  );
}

/** Settings → Company → Company Phone: where a Call step rings when the contact has no assigned user. */
export function CompanyPhoneCard() {
  const card = useAutomationSettings();
  const [phone, setPhone] = useState<string | null>(null);
  const [phoneError, setPhoneError] = useState<string | undefined>();
  const s = card.value;
  const shownPhone = phone ?? s?.companyPhone ?? '';
  const savePhone = (event: FormEvent) => {
    event.preventDefault();
    const value = shownPhone.replace(/[\s().-]/g, '');
    if (value && !/^\+[1-9]\d{6,14}$/.test(value)) return setPhoneError('Enter the number with its country code, such as +14155550123.');
    setPhoneError(undefined);
    void card.save(getBridge().workflowSettings.updateAutomation({ companyPhone: value || null }), value ? `Company Phone saved: ${value}.` : 'Company Phone cleared.').then(() => setPhone(null));
  };
  return (
    <section className="settings-card" aria-labelledby="ws-company-phone-title">
      <h3 id="ws-company-phone-title">Company Phone</h3>
      <Feedback error={card.error} status={card.status} />
      {s === null ? (
        card.error ? null : <p>Loading…</p>
      ) : (
        <form onSubmit={savePhone} noValidate>
          <TextField
            label="Company Phone" type="tel" value={shownPhone} onChange={setPhone} error={phoneError}
            hint="The Call action rings this number when the contact has no assigned user. Leave empty to skip those calls (with the reason)."
          />
          <button type="submit">Save Company Phone</button>
        </form>
      )}
    </section>
  );
}

/** Settings → Integrations → WhatsApp: the sender number and its approved templates. */
export function WhatsAppSender() {
  const card = useCard<WhatsAppSettings>(() => getBridge().workflowSettings.whatsApp());
  const options = useAutomation((s) => s.options);
  const numbers = options?.numbers ?? [];
  useEffect(() => {
    if (!options) void loadOptions(); // the practice's numbers, when the Automation tab has not loaded them yet
  }, [options]);
  const s = card.value;
  return (
    <section className="settings-card" aria-labelledby="ws-whatsapp-title">
      <h3 id="ws-whatsapp-title">WhatsApp sender</h3>
      <Feedback error={card.error} status={card.status} />
      {s === null ? (
        card.error ? null : <p>Loading…</p>
      ) : (
        <>
          <SelectField
            label="Send WhatsApp messages from" value={s.sender?.phoneNumberId ?? ''}
            options={[{ value: '', label: 'No WhatsApp sender' }, ...numbers.map((n) => ({ value: n.id, label: `${n.name} (${n.number})` }))]}
            onChange={(id) => void card.save(getBridge().workflowSettings.setWhatsAppSender({ phoneNumberId: id || null }), id ? 'WhatsApp sender saved.' : 'WhatsApp sender cleared: WhatsApp notifications are skipped with the reason.')}
          />
          <p className="muted">The number must be enabled as a WhatsApp sender at Twilio. Only approved templates can be sent outside WhatsApp's 24-hour window.</p>
          <div className="automation-row">
            <button type="button" onClick={() => void card.save(getBridge().workflowSettings.refreshWhatsAppTemplates(), 'Templates read from Twilio.')}>
              Refresh templates from Twilio
            </button>
            <span className="muted">{s.templatesSyncedAt ? `Last read ${new Date(s.templatesSyncedAt).toLocaleString()}.` : 'Never read yet.'}</span>
          </div>
          {s.templates.length === 0 ? (
            <p>No WhatsApp templates.</p>
          ) : (
            <ul className="ws-list" aria-label="WhatsApp templates">
              {s.templates.map((t) => (
                <li key={t.contentSid}>
                  <strong>{t.name}</strong> <span>({t.language})</span> <span className={t.status === 'approved' ? '' : 'error'}>{t.status === 'approved' ? 'Approved' : `Not approved: ${t.status}${t.rejectionReason ? ` — ${t.rejectionReason}` : ''}`}</span>
                  <span className="muted ws-preview">{t.body}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

type Wording = Pick<ReputationSettings, 'emailSubject' | 'emailBody' | 'smsBody'> & { reviewLink: string };

/** Settings → Reputation: the review link and the wording of review requests. */
export function ReputationWording() {
  const card = useCard<ReputationSettings>(() => getBridge().workflowSettings.reputation());
  const [draft, setDraft] = useState<Wording | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof Wording, string>>>({});
  const s = card.value;
  useEffect(() => {
    // Loaded once into the form; the on/off switch saving on its own keeps unsaved wording edits.
    if (s) setDraft((d) => d ?? { reviewLink: s.reviewLink ?? '', emailSubject: s.emailSubject, emailBody: s.emailBody, smsBody: s.smsBody });
  }, [s]);
  const set = (patch: Partial<Wording>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const found: typeof errors = {};
    const link = draft.reviewLink.trim();
    if (link && !/^https:\/\/\S+$/.test(link)) found.reviewLink = 'The review link must be an https:// address.';
    if (!draft.emailSubject.trim()) found.emailSubject = 'Write the email subject.';
    if (!draft.emailBody.trim()) found.emailBody = 'Write the email.';
    if (!draft.smsBody.trim()) found.smsBody = 'Write the text message.';
    else if (draft.smsBody.length > 1600) found.smsBody = 'A text message holds at most 1600 characters.';
    setErrors(found);
    if (Object.keys(found).length) return;
    void card.save(
      getBridge().workflowSettings.updateReputation({ reviewLink: link || null, emailSubject: draft.emailSubject, emailBody: draft.emailBody, smsBody: draft.smsBody }),
      'Reputation settings saved.',
    );
  };
  return (
    <section className="settings-card" aria-labelledby="ws-reputation-title">
      <h3 id="ws-reputation-title">Reputation: review requests</h3>
      <Feedback error={card.error} status={card.status} />
      {s === null || draft === null ? (
        card.error ? null : <p>Loading…</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p className="muted">The Review Request action sends this wording, on behalf of the contact's assigned user. Use {'{{review_link}}'} where the link goes, and fields such as {'{{contact.first_name}}'}, {'{{user.name}}'}, {'{{account.name}}'}.</p>
          <CheckField
            label="Review requests on" checked={s.requestsEnabled}
            hint={s.reviewLink ? 'off: Review Request steps are skipped with the reason' : 'needs a saved review link first'}
            onChange={(on) => void card.save(getBridge().workflowSettings.updateReputation({ requestsEnabled: on }), on ? 'Review requests are on.' : 'Review requests are off.')}
          />
          <TextField label="Review link" type="url" value={draft.reviewLink} onChange={(reviewLink) => set({ reviewLink })} error={errors.reviewLink} hint="Your Google Business Profile review page, or another review site (https://)." />
          <TextField label="Email subject" value={draft.emailSubject} onChange={(emailSubject) => set({ emailSubject })} error={errors.emailSubject} />
          <TextField label="Email message" multiline value={draft.emailBody} onChange={(emailBody) => set({ emailBody })} error={errors.emailBody} />
          <TextField label="SMS message" multiline value={draft.smsBody} onChange={(smsBody) => set({ smsBody })} error={errors.smsBody} hint={`${draft.smsBody.length} / 1600 characters`} />
          <button type="submit">Save review wording</button>
        </form>
      )}
    </section>
  );
}
