import { useState } from 'react';
import { SENDING_DOMAINS_PLACE } from '../../../shared/cloud/sending-domain-rules';
import { addressListWarning } from './address-list-note';
import { fromEmailNote, reviewSenderNote } from './from-email-note';
import type { ActionStep } from '../../../shared/cloud/workflows';
import { LibraryAttachments, LinkAttachments } from './attachments';
import { slackEventChange } from './action-catalog';
import { CheckField, ListField, NumberField, SelectField, TextField } from './fields';
import { numberOptions, templateOptions, userOptions, type PanelProps } from './panel-types';
import { MediaPicker } from './settings/MediaPicker';
import { SlackPicker } from './settings/SlackPicker';
import { TestSend } from './TestSend';
import { WriteWithAi } from './WriteWithAi';

/** The Communication category's panels: every field the seed documents for each action. */

type Of<T extends ActionStep['type']> = PanelProps<Extract<ActionStep, { type: T }>>;

export function SendEmailPanel({ step, set, errors, trigger, options }: Of<'send_email'>) {
  const c = step.config;
  const [showCc, setShowCc] = useState(c.cc.length > 0);
  const [showBcc, setShowBcc] = useState(c.bcc.length > 0);
  const chooseTemplate = (id: string) => {
    const t = options?.templates.find((x) => x.id === id);
    set({ templateId: id || null, ...(t ? { subject: t.subject, body: t.body } : { syncTemplateEdits: false }) });
  };
  return (
    <>
      <TextField label="From Name" value={c.fromName} onChange={(fromName) => set({ fromName })} merge={{ trigger }} error={errors.fromName} />
      <TextField label="From Email" type="email" value={c.fromEmail} onChange={(fromEmail) => set({ fromEmail })} error={errors.fromEmail} {...fromEmailNote(c.fromEmail, options?.sendingDomains ?? null)} />
      <TextField label="Subject" value={c.subject} onChange={(subject) => set({ subject })} merge={{ trigger }} error={errors.subject} />
      <SelectField label="Template" value={c.templateId ?? ''} options={templateOptions(options, 'email')} onChange={chooseTemplate} />
      {c.templateId ? (
        <CheckField label="Sync Edits to Template" checked={c.syncTemplateEdits} onChange={(syncTemplateEdits) => set({ syncTemplateEdits })} hint="on: saving this workflow updates the template, and edits to the template update this step (sent once published); off: independent copies" />
      ) : null}
      <TextField label="Message" multiline value={c.body} onChange={(body) => set({ body })} merge={{ trigger }} error={errors.body} />
      <WriteWithAi channel="email" trigger={trigger} onUse={(d) => set({ body: d.body, ...(d.subject !== null ? { subject: d.subject } : {}) })} />
      <LibraryAttachments attachments={c.attachments} onChange={(attachments) => set({ attachments })} errors={errors} />
      <div className="automation-row">
        {!showCc ? <button type="button" onClick={() => setShowCc(true)}>Cc</button> : null}
        {!showBcc ? <button type="button" onClick={() => setShowBcc(true)}>Bcc</button> : null}
      </div>
      {showCc ? <ListField label="Cc" value={c.cc} onChange={(cc) => set({ cc })} error={errors.cc} warning={addressListWarning(c.cc)} /> : null}
      {showBcc ? <ListField label="Bcc" value={c.bcc} onChange={(bcc) => set({ bcc })} error={errors.bcc} warning={addressListWarning(c.bcc)} /> : null}
      <TestSend kind="email" fromName={c.fromName} fromEmail={c.fromEmail} subject={c.subject} body={c.body} />
    </>
  );
}

export function SmsPanel({ step, set, errors, trigger, options }: Of<'send_sms'> | Of<'manual_sms'>) {
  const c = step.config;
  const chooseTemplate = (id: string) => {
    const t = options?.templates.find((x) => x.id === id);
    set({ templateId: id || null, ...(t ? { message: t.body } : {}) });
  };
  return (
    <>
      <SelectField label="Templates" value={c.templateId ?? ''} options={templateOptions(options, 'sms')} onChange={chooseTemplate} />
      <TextField
        label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger, triggerLinks: options ? options.triggerLinks : null }} error={errors.message}
        hint={`${c.message.length}/1600 characters. Trigger links (tag icon) reach each contact as a short tracked link of their own.`}
      />
      <WriteWithAi channel="sms" trigger={trigger} onUse={(d) => set({ message: d.body })} />
      <LinkAttachments urls={c.attachmentUrls} onChange={(attachmentUrls) => set({ attachmentUrls })} errors={errors} />
      <SelectField label="Send from" value={c.fromNumberId ?? ''} options={numberOptions(options)} onChange={(v) => set({ fromNumberId: v || null })} error={errors.fromNumberId} />
      <TestSend kind="sms" message={c.message} fromNumberId={c.fromNumberId} attachmentUrls={c.attachmentUrls} />
      {step.type === 'manual_sms' ? (
        <details open={Boolean(step.config.assignToUserId)}>
          <summary>Advanced Settings</summary>
          <AssignTo value={step.config.assignToUserId} onChange={(assignToUserId) => (set as Of<'manual_sms'>['set'])({ assignToUserId })} options={options} error={errors.assignToUserId} />
          <TaskExpiry value={step.config.expiresInHours} onChange={(expiresInHours) => (set as Of<'manual_sms'>['set'])({ expiresInHours })} error={errors.expiresInHours} />
        </details>
      ) : null}
    </>
  );
}

function AssignTo(props: { value: string | null; onChange: (id: string | null) => void; options: PanelProps['options']; error?: string }) {
  return (
    <>
      <SelectField label="Assign To" value={props.value ?? ''} options={[{ value: '', label: 'The contact owner' }, ...userOptions(props.options)]} onChange={(v) => props.onChange(v || null)} error={props.error} />
      <p className="muted">A selected user with access to the contact gets the task; otherwise the contact owner; with neither it is Unassigned.</p>
    </>
  );
}

/** Manual SMS / Manual Call: hours a task may stay open before it expires and the run moves on (empty: never). */
function TaskExpiry(props: { value: number | null; onChange: (hours: number | null) => void; error?: string }) {
  return (
    <NumberField label="Expires after (hours, empty: never)" value={props.value ?? Number.NaN} min={1} max={24 * 90}
      onChange={(v) => props.onChange(Number.isFinite(v) ? v : null)} error={props.error} />
  );
}

export function ManualCallPanel({ step, set, errors, options }: Of<'manual_call'>) {
  return (
    <>
      <SelectField label="Call from" value={step.config.fromNumberId ?? ''} options={numberOptions(options)} onChange={(v) => set({ fromNumberId: v || null })} error={errors.fromNumberId} />
      <details open>
        <summary>Advanced Settings</summary>
        <AssignTo value={step.config.assignToUserId} onChange={(assignToUserId) => set({ assignToUserId })} options={options} error={errors.assignToUserId} />
        <TaskExpiry value={step.config.expiresInHours} onChange={(expiresInHours) => set({ expiresInHours })} error={errors.expiresInHours} />
      </details>
    </>
  );
}

export function CallPanel({ step, set, errors, trigger, options }: Of<'call'>) {
  const c = step.config;
  return (
    <>
      <p className="muted">Rings the contact’s assigned user (add an Assign to User step earlier), or Settings → Company Phone when the contact is unassigned.</p>
      <SelectField
        label="Ring the assigned user on"
        value={c.ringUser}
        options={[{ value: 'softphone', label: 'Their softphone (this app)' }, { value: 'phone', label: 'The phone number on their profile' }]}
        onChange={(ringUser) => set({ ringUser })}
      />
      <TextField label="Call Whisper" multiline value={c.whisper} onChange={(whisper) => set({ whisper })} merge={{ trigger }} error={errors.whisper} />
      <NumberField label="Call Timeout (s)" value={c.timeoutSeconds} min={5} max={600} onChange={(timeoutSeconds) => set({ timeoutSeconds })} error={errors.timeoutSeconds} />
      <CheckField label="Disable Voicemail Detect" checked={c.disableVoicemailDetect} onChange={(disableVoicemailDetect) => set({ disableVoicemailDetect })} hint="faster connection; with Stop on Response a voicemail pickup counts as a response" />
      <CheckField label="Connect Call After Keypress" checked={c.connectAfterKeypress} onChange={(connectAfterKeypress) => set({ connectAfterKeypress })} />
      <SelectField label="Call from" value={c.fromNumberId ?? ''} options={numberOptions(options)} onChange={(v) => set({ fromNumberId: v || null })} />
    </>
  );
}

/** A library URL ends with the file's name; show that rather than the long link. */
function recordingName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || url;
  } catch {
    return url;
  }
}

export function VoicemailPanel({ step, set, errors, options }: Of<'voicemail_drop'>) {
  const c = step.config;
  return (
    <>
      <p>
        Recording: {c.audioUrl ? recordingName(c.audioUrl) : 'none chosen yet'}
        {errors.audioUrl ? <span className="field-error"> {errors.audioUrl}</span> : null}
      </p>
      {c.audioUrl ? <audio controls src={c.audioUrl} aria-label="Play the recording" /> : null}
      <MediaPicker kind="audio" label="Recording from the media library" pickLabel="Use this recording" uploadLabel="Upload a recording" onPick={(f) => set({ audioUrl: f.url })} />
      <SelectField label="Call from" value={c.fromNumberId ?? ''} options={numberOptions(options)} onChange={(v) => set({ fromNumberId: v || null })} />
    </>
  );
}

export function SlackPanel({ step, set, errors, trigger, options }: Of<'slack'>) {
  const c = step.config;
  const connections = options?.slack ?? [];
  return (
    <>
      {connections.length === 0 ? <p className="field-warning">No Slack workspace is connected: connect one in Settings → Integrations.</p> : null}
      <SelectField
        label="Choose an Account" value={c.connectionId} error={errors.connectionId}
        options={[{ value: '', label: 'Choose a workspace' }, ...connections.map((s) => ({ value: s.id, label: s.teamName }))]}
        onChange={(connectionId) => set({ connectionId })}
      />
      <SelectField
        label="Event" value={c.event} onChange={(event) => set(slackEventChange(c, event))}
        options={[
          { value: 'direct_message', label: 'Send Direct Message to a User' },
          { value: 'private_channel', label: 'Send Private Channel Message' },
          { value: 'public_channel', label: 'Send Public Channel Message' },
        ]}
      />
      {c.event === 'direct_message' ? (
        <>
          <SelectField
            label="User Source" value={c.userSource ?? 'assigned_user'} onChange={(userSource) => set({ userSource })} error={errors.userSource}
            options={[
              { value: 'assigned_user', label: 'Assigned User' },
              { value: 'custom_email', label: 'Custom Email' },
              { value: 'internal_user', label: 'Internal User' },
              { value: 'slack_user', label: 'Slack User' },
            ]}
          />
          {c.userSource === 'custom_email' ? <TextField label="Custom Email" value={c.customEmail ?? ''} onChange={(customEmail) => set({ customEmail })} merge={{ trigger }} error={errors.customEmail} /> : null}
          {c.userSource === 'internal_user' ? (
            <SelectField label="Internal User" value={c.internalUserId ?? ''} options={[{ value: '', label: 'Choose a user' }, ...userOptions(options)]} onChange={(v) => set({ internalUserId: v || undefined })} error={errors.internalUserId} />
          ) : null}
          {c.userSource === 'slack_user' ? <SlackPicker connectionId={c.connectionId} kind="members" label="Slack User" value={c.slackUserId ?? null} onChange={(slackUserId) => set({ slackUserId })} error={errors.slackUserId} /> : null}
        </>
      ) : (
        <SlackPicker
          key={c.event} connectionId={c.connectionId} kind={c.event === 'private_channel' ? 'private' : 'public'} label="Channel"
          value={c.channelId ?? null} onChange={(channelId) => set({ channelId })} error={errors.channelId}
        />
      )}
      <TextField label="Message Content" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
      {c.event === 'direct_message' && c.userSource !== 'slack_user' ? (
        <p className="muted">A test message goes to a Slack member id: choose the Slack User source to test a direct message.</p>
      ) : (
        <TestSend kind="slack" connectionId={c.connectionId} target={(c.event === 'direct_message' ? c.slackUserId : c.channelId) ?? ''} event={c.event} text={c.message} />
      )}
      <p className="muted">A premium action: it needs premium actions on and counts premium executions.</p>
    </>
  );
}

export function ReviewRequestPanel({ step, set, options }: Of<'review_request'>) {
  const note = step.config.reviewType === 'email' && options ? reviewSenderNote(options.users, options.sendingDomains) : { offDomain: null, warning: null };
  return (
    <>
      <SelectField label="Review Type" value={step.config.reviewType} options={[{ value: 'email', label: 'Email' }, { value: 'sms', label: 'SMS' }]} onChange={(reviewType) => set({ reviewType })} />
      <p className="muted">
        The wording comes from Settings → Reputation; the request is sent on behalf of the contact’s assigned user
        {step.config.reviewType === 'email' ? `, From their email address: it must be on a verified sending domain (${SENDING_DOMAINS_PLACE}).` : '.'}
      </p>
      {note.warning ? <p className="field-warning">{note.warning}</p> : null}
      {note.offDomain ? <p className="muted">{note.offDomain}</p> : null}
    </>
  );
}

export function LogExternalCallPanel({ step, set, errors, trigger }: Of<'log_external_call'>) {
  const c = step.config;
  const keys = [['direction', 'Direction'], ['date', 'Date'], ['to', 'To'], ['from', 'From'], ['status', 'Call Status'], ['recordingUrl', 'Attachment (recording URL)']] as const;
  return (
    <>
      {keys.map(([key, label]) => (
        <TextField key={key} label={label} value={c[key]} onChange={(v) => set({ [key]: v })} merge={{ trigger }} error={errors[key]} />
      ))}
    </>
  );
}
