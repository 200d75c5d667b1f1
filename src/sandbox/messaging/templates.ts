// Content templates (Content API, text type) and their WhatsApp approval: what a business needs
// to message a contact on WhatsApp outside the 24-hour window.
import type { SandboxContext } from '../context';
import { newSid } from '../sids';
import type { ContentTemplate, MessagingState } from './messaging-state';

export interface TemplateInput {
  friendlyName: string;
  body: string;
  language?: string;
  variables?: Record<string, string>;
  /** For the control API: create it already approved (or rejected / pending) for WhatsApp. */
  whatsappStatus?: ContentTemplate['whatsapp']['status'];
  category?: string;
}

export function createTemplate(ctx: SandboxContext, state: MessagingState, input: TemplateInput): ContentTemplate {
  const now = new Date();
  const t: ContentTemplate = {
    sid: newSid('HX'),
    accountSid: ctx.settings.accountSid,
    friendlyName: input.friendlyName,
    language: input.language ?? 'en',
    body: input.body,
    variables: input.variables ?? {},
    whatsapp: { name: input.friendlyName, category: input.category ?? 'UTILITY', status: input.whatsappStatus ?? 'unsubmitted', rejectionReason: '' },
    dateCreated: now,
    dateUpdated: now,
  };
  state.templates.set(t.sid, t);
  return t;
}

/** Submits for WhatsApp approval: approved at once by default, else pending until the control API decides. */
export function submitForApproval(state: MessagingState, t: ContentTemplate, name: string, category: string): ContentTemplate {
  t.whatsapp = { name, category, status: state.autoApproveTemplates ? 'approved' : 'pending', rejectionReason: '' };
  t.dateUpdated = new Date();
  return t;
}

export function decideApproval(t: ContentTemplate, status: 'approved' | 'rejected', reason = ''): ContentTemplate {
  t.whatsapp = { ...t.whatsapp, status, rejectionReason: status === 'rejected' ? reason || 'Rejected by the sandbox control API' : '' };
  t.dateUpdated = new Date();
  return t;
}
