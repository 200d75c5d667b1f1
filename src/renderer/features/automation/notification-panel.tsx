import type { ActionStep } from '../../../shared/cloud/workflows';
import { ChecklistField, ListField, SelectField, TextField } from './fields';
import { templateOptions, userOptions, type PanelProps } from './panel-types';

type Step = Extract<ActionStep, { type: 'internal_notification' }>;
type Config = Step['config'];

const channelDefaults: { [K in Config['channel']]: Extract<Config, { channel: K }> } = {
  email: { channel: 'email', fromName: '', fromEmail: '', toUserType: 'all_users', userIds: [], customEmails: [], cc: [], bcc: [], subject: '', templateId: null, message: '', attachments: [] },
  in_app: { channel: 'in_app', title: '', message: '', redirect: 'contact', toUserType: 'all_users', userIds: [], teamIds: [], roles: [] },
  sms: { channel: 'sms', toUserType: 'all_users', userIds: [], templateId: null, message: '', attachmentUrls: [] },
  whatsapp: { channel: 'whatsapp', toUserType: 'all_users', userIds: [], templateName: '', message: '' },
};

const toUserTypes = [
  { value: 'all_users', label: 'All Users' },
  { value: 'assigned_user', label: 'Assigned User' },
  { value: 'particular_users', label: 'Particular Users' },
  { value: 'custom_email', label: 'Custom Email' },
] as const;

/** Send Internal Notification: Type of Notification first, then that channel's fields (team members only, never the contact). */
export function InternalNotificationPanel({ step, replace, errors, trigger, options }: PanelProps<Step>) {
  const c = step.config;
  const set = (patch: Partial<Config>) => replace({ ...c, ...patch } as Config);
  const userTypes = c.channel === 'email' ? toUserTypes : toUserTypes.filter((t) => t.value !== 'custom_email');
  return (
    <>
      <SelectField
        label="Type of Notification" value={c.channel} onChange={(channel) => replace(channelDefaults[channel])}
        options={[{ value: 'email', label: 'Email' }, { value: 'in_app', label: 'Notification (in-app)' }, { value: 'sms', label: 'SMS' }, { value: 'whatsapp', label: 'WhatsApp' }]}
      />
      <SelectField label="To User Type" value={c.toUserType} options={userTypes} onChange={(toUserType) => set({ toUserType } as Partial<Config>)} error={errors.toUserType} />
      {c.toUserType === 'particular_users' ? (
        <ChecklistField legend="Users" options={userOptions(options)} value={c.userIds} onChange={(userIds) => set({ userIds })} error={errors.userIds} />
      ) : null}
      {c.channel === 'email' ? (
        <>
          {c.toUserType === 'custom_email' ? <ListField label="Custom emails" value={c.customEmails} onChange={(customEmails) => set({ customEmails })} error={errors.customEmails} /> : null}
          <TextField label="From Name" value={c.fromName} onChange={(fromName) => set({ fromName })} merge={{ trigger }} error={errors.fromName} />
          <TextField label="From Email" value={c.fromEmail} onChange={(fromEmail) => set({ fromEmail })} merge={{ trigger }} error={errors.fromEmail} />
          <ListField label="Cc" value={c.cc} onChange={(cc) => set({ cc })} error={errors.cc} hint="Each Cc/Bcc address is a separate email." />
          <ListField label="Bcc" value={c.bcc} onChange={(bcc) => set({ bcc })} error={errors.bcc} />
          <TextField label="Subject" value={c.subject} onChange={(subject) => set({ subject })} merge={{ trigger }} error={errors.subject} />
          <SelectField label="Template" value={c.templateId ?? ''} options={templateOptions(options, 'email')} onChange={(v) => set({ templateId: v || null })} />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
        </>
      ) : null}
      {c.channel === 'in_app' ? (
        <>
          {c.toUserType === 'particular_users' || c.toUserType === 'all_users' ? null : null}
          <ChecklistField legend="Teams" options={(options?.teams ?? []).map((t) => ({ value: t.id, label: t.name }))} value={c.teamIds} onChange={(teamIds) => set({ teamIds })} />
          <ChecklistField legend="Roles" options={[{ value: 'admin' as const, label: 'Admins' }, { value: 'user' as const, label: 'Receptionists' }]} value={c.roles} onChange={(roles) => set({ roles })} />
          <TextField label="Title" value={c.title} onChange={(title) => set({ title })} merge={{ trigger }} error={errors.title} />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
          <SelectField
            label="Redirect Page" value={c.redirect} onChange={(redirect) => set({ redirect })}
            options={[{ value: 'contact', label: 'The contact' }, { value: 'call', label: 'The call' }, { value: 'appointment', label: 'The appointment' }, { value: 'none', label: 'Nowhere' }]}
          />
        </>
      ) : null}
      {c.channel === 'sms' ? (
        <>
          <SelectField label="Templates" value={c.templateId ?? ''} options={templateOptions(options, 'sms')} onChange={(v) => set({ templateId: v || null, ...(options?.templates.find((t) => t.id === v) ? { message: options.templates.find((t) => t.id === v)!.body } : {}) })} />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
          <ListField label="Files via URL" value={c.attachmentUrls} onChange={(attachmentUrls) => set({ attachmentUrls })} error={errors.attachmentUrls} />
        </>
      ) : null}
      {c.channel === 'whatsapp' ? (
        <>
          <TextField label="Approved template (name or content SID)" value={c.templateName} onChange={(templateName) => set({ templateName })} error={errors.templateName} hint="WhatsApp sends only templates approved for the practice’s sender." />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
        </>
      ) : null}
    </>
  );
}
