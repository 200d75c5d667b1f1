import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageTemplate } from '../../../shared/cloud/templates';
import type { Step, Workflow, WorkflowDocument } from '../../../shared/cloud/workflows';
import { installFakeBridge } from '../../testing/fake-bridge';
import { openWorkflow, saveDraft } from './automation-actions';
import { useAutomation } from './automation-store';
import { initialBuilderState } from './builder-reducer';
import { templateVersionsForSave, versionsMatching } from './template-sync';

const template = (over: Partial<MessageTemplate> = {}): MessageTemplate => ({
  id: 't1', accountId: 'acc', channel: 'email', name: 'Welcome', subject: 'Welcome', body: '<p>Template text</p>', version: 3, createdAt: '', updatedAt: '', updatedBy: null, ...over,
});
const email = (id: string, sync: boolean, body = '<p>Template text</p>', templateId = 't1'): Step => ({
  id, name: id, type: 'send_email',
  config: { fromName: 'Glow', fromEmail: 'desk@glow.test', subject: 'Welcome', body, templateId, syncTemplateEdits: sync, attachments: [], cc: [], bcc: [] },
});
const doc = (...steps: Step[]): WorkflowDocument => ({ trigger: null, steps, settings: { stopOnResponse: false, allowReentry: false } });
const workflow = (draft: WorkflowDocument): Workflow => ({ id: 'wf_1', accountId: 'acc', name: 'Welcome', status: 'draft', draft, publishedVersion: null, hasWebhookSecret: false, createdAt: '', updatedAt: '' });

describe('the version a synced step’s text starts from', () => {
  it('is the template’s when every synced step holds its text; otherwise what was known before (or nothing)', () => {
    const branch: Step = { id: 'b', name: 'If', type: 'if_else', branches: [{ id: 'y', name: 'Yes', conditions: { match: 'all', rules: [{ field: 'contact.email', operator: 'is_not_empty' }] }, steps: [email('nested', true)] }], elseSteps: [] };
    expect(versionsMatching([email('a', true), branch], [template()], {})).toEqual({ t1: 3 });
    expect(versionsMatching([email('a', true), email('own', false, '<p>Other</p>')], [template()], {})).toEqual({ t1: 3 });
    // Edited elsewhere since: the text on screen started from the version known before.
    expect(versionsMatching([email('a', true, '<p>Older</p>')], [template({ version: 4 })], { t1: 3 })).toEqual({ t1: 3 });
    expect(versionsMatching([email('a', true, '<p>Older</p>')], [template({ version: 4 })], {})).toEqual({});
    expect(versionsMatching([email('a', false)], [template()], {})).toEqual({});
  });

  it('a save names the known version, else the version the panel copied the template from', () => {
    expect(templateVersionsForSave([email('a', true, '<p>Edited</p>')], [template({ version: 5 })], { t1: 3 })).toEqual({ t1: 3 });
    expect(templateVersionsForSave([email('a', true, '<p>Edited</p>')], [template({ version: 5 })], {})).toEqual({ t1: 5 });
    expect(templateVersionsForSave([email('a', false)], [template()], { t1: 3 })).toEqual({});
  });
});

describe('opening and saving a workflow with a synced step', () => {
  const fake = installFakeBridge();
  let templates: MessageTemplate[];
  let draft: WorkflowDocument;
  beforeEach(() => {
    fake.calls.length = 0;
    templates = [template()];
    draft = doc(email('a', true));
    useAutomation.setState({ open: null, builder: initialBuilderState(), templateBase: {}, options: null, error: null, message: null });
    fake.handlers['workflowSettings.templates'] = () => templates;
    fake.handlers['automation.get'] = () => workflow(draft);
    fake.handlers['automation.save'] = (input) => {
      const saved = (input as { draft: WorkflowDocument }).draft;
      templates = [template({ body: (saved.steps[0] as Extract<Step, { type: 'send_email' }>).config.body, version: templates[0]!.version + 1 })];
      return workflow(saved);
    };
  });
  afterEach(() => useAutomation.setState({ open: null, templateBase: {} }));

  it('sends the version the draft’s text was read at, then the version its own save made', async () => {
    await openWorkflow('wf_1');
    const edit = (body: string) => useAutomation.getState().dispatch({ type: 'updateStep', step: email('a', true, body) });
    edit('<p>First edit</p>');
    expect(await saveDraft()).toBe(true);
    edit('<p>Second edit</p>');
    expect(await saveDraft()).toBe(true);
    expect(fake.callsTo('automation.save').map((c) => (c as { templateVersions?: unknown }).templateVersions)).toEqual([{ t1: 3 }, { t1: 4 }]);
  });

  it('a template edited elsewhere after the workflow was opened is named at the version the editor saw (the cloud then refuses)', async () => {
    await openWorkflow('wf_1');
    templates = [template({ body: '<p>Someone else’s edit</p>', version: 4 })];
    fake.handlers['automation.save'] = () => {
      throw Object.assign(new Error('The template "Welcome" was changed after this workflow was opened'), { code: 'CONFLICT' });
    };
    useAutomation.getState().dispatch({ type: 'updateStep', step: email('a', true, '<p>My edit</p>') });
    expect(await saveDraft()).toBe(false);
    expect(fake.callsTo('automation.save').map((c) => (c as { templateVersions?: unknown }).templateVersions)).toEqual([{ t1: 3 }]);
    expect(useAutomation.getState().error).toMatch(/was changed after this workflow was opened/);
  });

  it('a workflow without synced steps sends no template versions', async () => {
    draft = doc(email('a', false));
    await openWorkflow('wf_1');
    expect(await saveDraft()).toBe(true);
    expect(fake.callsTo('automation.save')).toEqual([{ workflowId: 'wf_1', name: 'Welcome', draft }]);
  });
});
