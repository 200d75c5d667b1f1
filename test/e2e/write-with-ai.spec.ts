import { startOpenAiStub, textReply, type OpenAiStub, type StubRequest } from '../support/openai-stub';
import { expect, test as base } from './fixtures';
import { checkScreen, press, signInAs, typeInto } from './support';

/**
 * Issue [workflow-builder], Write with AI, end to end: the browser host's embedded cloud is pointed
 * at an OpenAI-compatible stub on 127.0.0.1 the way a practice points it at its AI service
 * (AI_BASE_URL, AI_MODEL, AI_API_KEY, AI_TIMEOUT_MS). The admin describes an email, picks a tone,
 * Generates, re-generates with a follow-up and uses the draft with its subject; a failing and a
 * silent AI service are said plainly in the dialog and fill nothing; a text is drafted in the SMS
 * panel. The stub's answers are what lands in the fields; the stub saw the tone and the follow-up.
 */

const MODEL = 'stub-writer';
const API_KEY = 'sk-e2e-write-stub';

const drafts = {
  first: { subject: 'Glow for less this month', body: 'Hi {{contact.first_name}},\n\nYour first HydraFacial is 20% off this month. Reply to book your visit.' },
  shorter: { subject: 'Your first HydraFacial: 20% off', body: 'Hi {{contact.first_name}}, your first HydraFacial is 20% off. Reply to book.' },
  text: { body: 'Hi {{contact.first_name}}, a reminder of your visit tomorrow. Reply C to confirm.' },
};

const json = (value: unknown) => textReply(JSON.stringify(value));
const messagesOf = (request: StubRequest) => request.body.messages as Array<{ role: string; content: string }>;

const test = base.extend<{ aiStub: OpenAiStub }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright wants an object pattern even when no fixture is used
  aiStub: async ({}, use) => {
    const stub = await startOpenAiStub();
    await use(stub);
    await stub.stop();
  },
  hostEnv: async ({ aiStub }, use) => {
    await use({ AI_BASE_URL: aiStub.baseUrl, AI_MODEL: MODEL, AI_API_KEY: API_KEY, AI_TIMEOUT_MS: '3000' });
  },
});

test.describe('Write with AI', () => {
  test.describe.configure({ timeout: 420_000 });
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('email: describe, tone, Generate, Re-generate with a follow-up, Use Email with its subject; a failing or silent AI fills nothing; SMS once; axe', async ({ app, aiStub }) => {
    const { page } = app;
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');

    // A workflow whose first action is Send Email.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await typeInto(page, page.getByLabel('New workflow name'), 'HydraFacial promotion');
    await page.keyboard.press('Enter');
    const when = page.getByLabel('When');
    await expect(when).toBeVisible({ timeout: 20_000 });
    await when.selectOption('call_details');
    await press(page, page.getByRole('button', { name: 'Add the first action' }));
    const panel = page.getByRole('dialog', { name: 'Add an action' });
    await press(page, panel.getByRole('button', { name: 'Send Email', exact: true }));
    const emailPanel = page.getByRole('dialog', { name: 'Send Email' });
    await typeInto(page, emailPanel.getByRole('textbox', { name: 'From Name' }), 'Glow Med Spa');
    await typeInto(page, emailPanel.getByRole('textbox', { name: 'From Email' }), 'hello@glow.example');

    // The button is enabled once the cloud says its AI service is configured.
    const writeButton = emailPanel.getByRole('button', { name: 'Write with AI' });
    await expect(writeButton).toBeEnabled({ timeout: 20_000 });
    await press(page, writeButton);
    const writer = page.getByRole('dialog', { name: 'Write with AI' });
    await expect(writer).toBeVisible();
    await typeInto(page, writer.getByLabel('Describe the email'), 'A promotional email offering 20% off a first HydraFacial');
    await writer.getByLabel('Tone').selectOption('friendly');
    aiStub.enqueue(json(drafts.first));
    await press(page, writer.getByRole('button', { name: 'Generate' }));
    await expect(writer.getByLabel('AI draft')).toHaveValue(drafts.first.body, { timeout: 30_000 });
    await expect(writer.getByLabel('AI subject')).toHaveValue(drafts.first.subject);
    await checkScreen(app, 'write-with-ai-draft', problems);

    // A follow-up rewrites the current draft, in another tone.
    await typeInto(page, writer.getByLabel('Follow-up (how to change it)'), 'Make it shorter');
    await writer.getByLabel('Tone').selectOption('professional');
    aiStub.enqueue(json(drafts.shorter));
    await press(page, writer.getByRole('button', { name: 'Re-generate' }));
    await expect(writer.getByLabel('AI draft')).toHaveValue(drafts.shorter.body, { timeout: 30_000 });
    await expect(writer.getByLabel('AI subject')).toHaveValue(drafts.shorter.subject);
    await expect(writer.getByRole('checkbox', { name: 'Use Subject' })).toBeChecked();
    await press(page, writer.getByRole('button', { name: 'Use Email' }));
    await expect(writer).toBeHidden();
    await expect(emailPanel.getByRole('textbox', { name: 'Subject' })).toHaveValue(drafts.shorter.subject);
    await expect(emailPanel.getByRole('textbox', { name: 'Message' })).toHaveValue(drafts.shorter.body);

    // What the AI service was asked: the model, the key, the tone, the description, then the follow-up on the draft.
    const asked = aiStub.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(asked).toHaveLength(2);
    for (const request of asked) {
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(request.body).toMatchObject({ model: MODEL, response_format: { type: 'json_schema', json_schema: { name: 'email_draft' } } });
    }
    const [first, second] = asked.map(messagesOf);
    expect(first![0]!.content).toContain('Tone: friendly.');
    expect(first![0]!.content).toContain('{{contact.first_name}}');
    expect(first![1]!.content).toBe('A promotional email offering 20% off a first HydraFacial');
    expect(second![0]!.content).toContain('Tone: professional.');
    expect(second![1]!.content).toBe(`Current subject: ${drafts.first.subject}\nCurrent text:\n${drafts.first.body}\n\nRewrite it: Make it shorter`);

    // The AI service failing, then not answering: said in the dialog; nothing is filled.
    await press(page, writeButton);
    await expect(writer).toBeVisible();
    await typeInto(page, writer.getByLabel('Describe the email'), 'A spring newsletter');
    aiStub.enqueue({ status: 500, json: { error: { message: 'model overloaded' } } });
    await press(page, writer.getByRole('button', { name: 'Generate' }));
    await expect(writer.getByRole('status')).toHaveText(/could not write this: the AI endpoint answered HTTP 500: model overloaded/, { timeout: 30_000 });
    await expect(writer.getByRole('button', { name: 'Use Email' })).toBeDisabled();
    aiStub.enqueue({ hang: true });
    await press(page, writer.getByRole('button', { name: 'Generate' }));
    await expect(writer.getByRole('status')).toHaveText(/the AI endpoint did not answer within 3000 ms/, { timeout: 30_000 });
    await expect(writer.getByLabel('AI draft')).toHaveCount(0);
    await press(page, writer.getByRole('button', { name: 'Cancel' }));
    await expect(writer).toBeHidden();
    await expect(emailPanel.getByRole('textbox', { name: 'Subject' })).toHaveValue(drafts.shorter.subject);
    await expect(emailPanel.getByRole('textbox', { name: 'Message' })).toHaveValue(drafts.shorter.body);
    await press(page, emailPanel.getByRole('button', { name: 'Save Action' }));
    await expect(page.getByRole('article', { name: /Step 1: Send Email/ })).toBeVisible({ timeout: 20_000 });

    // The SMS panel's Write with AI, once.
    await press(page, page.getByRole('button', { name: 'Add an action after step 1' }));
    await press(page, panel.getByRole('button', { name: 'Send SMS', exact: true }));
    const smsPanel = page.getByRole('dialog', { name: 'Send SMS' });
    const smsWrite = smsPanel.getByRole('button', { name: 'Write with AI' });
    await expect(smsWrite).toBeEnabled({ timeout: 20_000 });
    await press(page, smsWrite);
    await typeInto(page, writer.getByLabel('Describe the text'), 'A reminder of tomorrow’s visit');
    aiStub.enqueue(json(drafts.text));
    await press(page, writer.getByRole('button', { name: 'Generate' }));
    await expect(writer.getByLabel('AI draft')).toHaveValue(drafts.text.body, { timeout: 30_000 });
    await press(page, writer.getByRole('button', { name: 'Use Text' }));
    await expect(writer).toBeHidden();
    await expect(smsPanel.getByRole('textbox', { name: 'Message' })).toHaveValue(drafts.text.body);
    const sms = aiStub.requests.at(-1)!;
    expect(sms.body).toMatchObject({ model: MODEL, response_format: { json_schema: { name: 'sms_draft' } } });
    expect(messagesOf(sms)[0]!.content).toContain('Tone: neutral.');
    expect(messagesOf(sms)[1]!.content).toBe('A reminder of tomorrow’s visit');

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
