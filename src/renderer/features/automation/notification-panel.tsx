import type { ActionStep } from '../../../shared/cloud/workflows';
import { LibraryAttachments, LinkAttachments } from './attachments';
import { ChecklistField, ListField, SelectField, TextField } from './fields';
import { addressListWarning } from './address-list-note';
import { fromEmailNote } from './from-email-note';
import { templateOptions, userOptions, type PanelProps } from './panel-types';
import { TestSend } from './TestSend';
import { WhatsAppTemplatePicker } from './WhatsAppTemplatePicker';
import { WriteWithAi } from './WriteWithAi';

type Step = Extract<ActionStep, { type: 'internal_notification' }>;
type Config = Step['config'];
type ToUserType = Config['toUserType'];

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

/**
 * A new To User Type, without the choices only the old one used (the users, teams and roles of
 * Particular Users, the addresses of Custom Email): the action ignores them under any other type,
 * so a step never keeps recipients the panel no longer shows.
 */
export function withToUserType(config: Config, toUserType: ToUserType): Config {
  const next = { ...config, toUserType } as Config;
  if (toUserType !== 'particular_users') {
    next.userIds = [];
    if (next.channel === 'in_app') Object.assign(next, { teamIds: [], roles: [] });
  }
  if (toUserType !== 'custom_email' && next.channel === 'email') next.customEmails = [];
  return next;
}

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
      <SelectField label="To User Type" value={c.toUserType} options={userTypes} onChange={(toUserType) => replace(withToUserType(c, toUserType))} error={errors.toUserType} />
      {c.toUserType === 'particular_users' ? (
        <>
          <ChecklistField legend="Users" options={userOptions(options)} value={c.userIds} onChange={(userIds) => set({ userIds })} error={errors.userIds} />
          {c.channel === 'in_app' ? (
            <>
              {/* Teams and roles widen Particular Users only: the action reads them under no other type. */}
              <ChecklistField legend="Teams" options={(options?.teams ?? []).map((t) => ({ value: t.id, label: t.name }))} value={c.teamIds} onChange={(teamIds) => set({ teamIds })} error={errors.teamIds} />
              <ChecklistField legend="Roles" options={[{ value: 'admin' as const, label: 'Admins' }, { value: 'user' as const, label: 'Receptionists' }]} value={c.roles} onChange={(roles) => set({ roles })} error={errors.roles} />
              <p className="muted">Everyone ticked, everyone in a ticked team and everyone with a ticked role gets one notification each.</p>
            </>
          ) : null}
        </>
      ) : null}
      {c.channel === 'email' ? (
        <>
          {c.toUserType === 'custom_email' ? <ListField label="Custom emails" value={c.customEmails} onChange={(customEmails) => set({ customEmails })} error={errors.customEmails} warning={addressListWarning(c.customEmails)} /> : null}
          <TextField label="From Name" value={c.fromName} onChange={(fromName) => set({ fromName })} merge={{ trigger }} error={errors.fromName} />
          <TextField label="From Email" value={c.fromEmail} onChange={(fromEmail) => set({ fromEmail })} merge={{ trigger }} error={errors.fromEmail} {...fromEmailNote(c.fromEmail, options?.sendingDomains ?? null)} />
          <ListField label="Cc" value={c.cc} onChange={(cc) => set({ cc })} error={errors.cc} hint="Each Cc/Bcc address is a separate email." warning={addressListWarning(c.cc)} />
          <ListField label="Bcc" value={c.bcc} onChange={(bcc) => set({ bcc })} error={errors.bcc} warning={addressListWarning(c.bcc)} />
          <TextField label="Subject" value={c.subject} onChange={(subject) => set({ subject })} merge={{ trigger }} error={errors.subject} />
          <SelectField
            label="Template" value={c.templateId ?? ''} options={templateOptions(options, 'email')}
            onChange={(v) => {
              // As in Send Email: the template's subject and body fill the fields, where the admin edits them.
              const chosen = options?.templates.find((t) => t.id === v);
              set({ templateId: v || null, ...(chosen ? { subject: chosen.subject, message: chosen.body } : {}) });
            }}
          />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
          <WriteWithAi channel="email" trigger={trigger} onUse={(d) => set({ message: d.body, ...(d.subject !== null ? { subject: d.subject } : {}) })} />
          <LibraryAttachments attachments={c.attachments} onChange={(attachments) => set({ attachments })} errors={errors} />
        </>
      ) : null}
      {c.channel === 'in_app' ? (
        <>
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
          <SelectField
            label="Templates" value={c.templateId ?? ''} options={templateOptions(options, 'sms')}
            onChange={(v) => {
              const chosen = options?.templates.find((t) => t.id === v);
              set({ templateId: v || null, ...(chosen ? { message: chosen.body } : {}) });
            }}
          />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} hint={`${c.message.length}/1600 characters`} />
          <WriteWithAi channel="sms" trigger={trigger} onUse={(d) => set({ message: d.body })} />
          <LinkAttachments urls={c.attachmentUrls} onChange={(attachmentUrls) => set({ attachmentUrls })} errors={errors} library />
          {/* The notification has no Send from choice: the test goes from the practice's first number. */}
          <TestSend kind="sms" message={c.message} fromNumberId={null} attachmentUrls={c.attachmentUrls} />
        </>
      ) : null}
      {c.channel === 'whatsapp' ? (
        <>
          <WhatsAppTemplatePicker value={c.templateName} onChange={(templateName) => set({ templateName })} error={errors.templateName} />
          <TextField label="Message" multiline value={c.message} onChange={(message) => set({ message })} merge={{ trigger }} error={errors.message} />
        </>
      ) : null}
    </>
  );
}
