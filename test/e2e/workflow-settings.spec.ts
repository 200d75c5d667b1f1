import { expect, test, type SoftphoneApp } from './fixtures';
import { checkScreen, eventually, press, signInAs, typeInto } from './support';

/**
 * Issue [workflow-builder], the settings the actions rely on, in the browser host with the embedded
 * cloud: an admin, by keyboard, saves an email template with a custom value and sees a Send Email
 * step's template choice fill the step; visits Settings → Integrations (Slack, WhatsApp), Premium actions
 * (with the executions used), Company (Company Phone) and Reputation; uploads a file to the Media library and attaches
 * it in the Send Email step; issues an Inbound Webhook URL; opens a contact's
 * workflows (enrol, runs); connects the demo Slack workspace (the embedded default's Slack stand-in),
 * pages its members and channels, and sends a test Slack message that arrives there. Each page passes
 * axe (serious/critical) in light and dark and does not scroll sideways at 400 px.
 */

const DEMO_SLACK = 'Glow Med Spa (demo Slack workspace)';

test.describe('workflow settings', () => {
  test.describe.configure({ timeout: 420_000 }); // eleven screens × axe in two themes on a shared 2-core machine
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  /** The admin, signed in by keyboard at 1280 px, on the Settings tab: its pages' menu. */
  async function adminSettings(app: SoftphoneApp) {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');
    await press(page, page.getByRole('tab', { name: 'Settings' }));
    return page.getByRole('navigation', { name: 'Settings pages' });
  }

  test('settings pages, templates, media and the webhook URL: by keyboard, axe in light and dark', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud of the browser host');
    const { page } = app;
    const problems: string[] = [];
    // Settings (admins): Integrations, Company, Reputation, Premium actions — where the article places them.
    const settingsNav = await adminSettings(app);
    await press(page, settingsNav.getByRole('button', { name: 'Integrations' }));
    await expect(page.getByRole('heading', { name: 'Integrations', level: 2 })).toBeVisible();
    await expect(page.getByText('No Slack workspace is connected.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('region', { name: 'WhatsApp sender' })).toBeVisible();
    await checkScreen(app, 'workflow-settings-integrations', problems);

    // Premium actions: on/off, the count shown.
    await press(page, settingsNav.getByRole('button', { name: 'Premium actions' }));
    await expect(page.getByText(/Premium executions used/)).toBeVisible({ timeout: 20_000 });
    const premium = page.getByRole('checkbox', { name: /Premium actions on/ });
    const wasOn = await premium.isChecked();
    await press(page, premium, 'Space');
    await expect(premium).toBeChecked({ checked: !wasOn });
    await checkScreen(app, 'workflow-settings-premium', problems);

    // Company → Company Phone saved.
    await press(page, settingsNav.getByRole('button', { name: 'Company' }));
    const phone = page.getByRole('textbox', { name: 'Company Phone' });
    await expect(phone).toBeVisible({ timeout: 20_000 });
    await phone.focus();
    await expect(phone).toBeFocused();
    await phone.fill('');
    await page.keyboard.type('+14155550123');
    await press(page, page.getByRole('button', { name: 'Save Company Phone' }));
    await expect(page.getByText('Company Phone saved: +14155550123.')).toBeVisible({ timeout: 20_000 });
    await checkScreen(app, 'workflow-settings-company', problems);

    // Reputation: the review wording.
    await press(page, settingsNav.getByRole('button', { name: 'Reputation' }));
    await expect(page.getByRole('textbox', { name: 'Email subject' })).toBeVisible({ timeout: 20_000 });
    await checkScreen(app, 'workflow-settings-reputation', problems);

    await press(page, page.getByRole('tab', { name: 'Automation' }));
    const nav = page.getByRole('navigation', { name: 'Automation' });

    // Templates: a new email template with a custom value from the picker.
    await press(page, nav.getByRole('button', { name: 'Templates' }));
    await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
    await press(page, page.getByRole('button', { name: '+ New email template' }));
    await typeInto(page, page.getByLabel('Template name'), 'Booking confirmation');
    await typeInto(page, page.getByRole('textbox', { name: 'Subject' }), 'See you soon');
    await typeInto(page, page.getByRole('textbox', { name: 'Email body' }), 'Hi ');
    await press(page, page.getByRole('button', { name: 'Custom values for Email body' }));
    await press(page, page.getByRole('button', { name: '{{contact.first_name}}' }));
    await expect(page.getByRole('textbox', { name: 'Email body' })).toHaveValue('Hi {{contact.first_name}}');
    await checkScreen(app, 'workflow-settings-template-editor', problems);
    await press(page, page.getByRole('button', { name: 'Save template' }));
    await expect(page.getByText('Saved the template Booking confirmation.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('rowheader', { name: 'Booking confirmation' })).toBeVisible();
    await checkScreen(app, 'workflow-settings-templates', problems);

    // Media library: a small file uploaded from the file input (focused by keyboard; the OS picker itself is outside the page).
    await press(page, nav.getByRole('button', { name: 'Media library' }));
    await expect(page.getByRole('heading', { name: 'Media library' })).toBeVisible();
    const fileInput = page.getByLabel('Upload a file');
    await fileInput.focus();
    await expect(fileInput).toBeFocused();
    await fileInput.setInputFiles({ name: 'Price list.csv', mimeType: 'text/csv', buffer: Buffer.from('service,price\nHydraFacial,199\n') });
    await expect(page.getByText('Uploaded Price list.csv.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('rowheader', { name: 'Price list.csv' })).toBeVisible();
    await checkScreen(app, 'workflow-settings-media-library', problems);

    // A workflow: the template fills a Send Email step; the Inbound Webhook trigger issues its URL.
    await press(page, nav.getByRole('button', { name: 'Workflows' }));
    await typeInto(page, page.getByLabel('New workflow name'), 'Old phone system calls');
    await page.keyboard.press('Enter');
    const when = page.getByLabel('When');
    await expect(when).toBeVisible();
    await when.focus();
    await when.selectOption('inbound_webhook');
    await press(page, page.getByRole('button', { name: 'Issue the webhook URL' }));
    await expect(page.getByLabel(/Webhook URL/)).toHaveValue(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/hooks\/workflows\/[^/]+\/[^/]+$/, { timeout: 20_000 });
    await press(page, page.getByRole('button', { name: 'Add the first action' }));
    const panel = page.getByRole('dialog');
    await press(page, panel.getByRole('button', { name: 'Send Email' }));
    const template = panel.getByRole('combobox', { name: 'Template', exact: true });
    await template.focus();
    await expect(template).toBeFocused();
    await template.selectOption({ label: 'Booking confirmation' });
    await expect(panel.getByRole('textbox', { name: 'Subject' })).toHaveValue('See you soon');
    const library = panel.getByRole('combobox', { name: 'Attach from the media library' });
    await library.focus();
    await expect(library).toBeFocused();
    await library.selectOption({ label: 'Price list.csv' });
    await press(page, panel.getByRole('button', { name: 'Attach', exact: true }));
    await expect(panel.getByRole('list', { name: 'Attachments' }).getByText('Price list.csv')).toBeVisible();
    await checkScreen(app, 'workflow-settings-send-email-template', problems);
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    // From a contact: the enrol choice and the contact's runs.
    await press(page, page.getByRole('tab', { name: 'Contacts' }));
    await typeInto(page, page.getByRole('searchbox', { name: 'Search contacts' }), 'Repeat Spam');
    const workflows = page.getByRole('button', { name: 'Workflows of Repeat Spam Caller' });
    await expect(workflows).toBeVisible({ timeout: 20_000 });
    await press(page, workflows);
    await expect(page.getByLabel('Enrol in a workflow')).toBeVisible();
    await expect(page.getByText(/No workflow runs for Repeat Spam Caller yet|Workflow runs of Repeat Spam Caller/).first()).toBeVisible({ timeout: 20_000 });
    await checkScreen(app, 'workflow-settings-contact-workflows', problems);

    expect(problems).toEqual([]);
  });
  test('Settings → Call policy: unsaved edits are asked about before leaving (keyboard, axe light/dark, 400/1920 px); Keep editing, Discard and Save', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud of the browser host');
    const { page } = app;
    const problems: string[] = [];
    const settingsNav = await adminSettings(app);
    await press(page, settingsNav.getByRole('button', { name: 'Call policy' }));
    const cap = page.getByRole('spinbutton', { name: 'Outbound calls per person per hour' });
    await expect(cap).toBeVisible({ timeout: 20_000 });
    const before = await cap.inputValue();
    const edited = before === '25' ? '26' : '25';
    await press(page, cap, 'Control+A');
    await page.keyboard.type(edited);

    // Leaving the tab by keyboard asks first; Save has focus; Escape keeps editing, the edit still there.
    await press(page, page.getByRole('tab', { name: 'History' }));
    const warning = page.getByRole('dialog', { name: 'Call policy: changes not saved' });
    await expect(warning).toBeVisible();
    await expect(warning.getByRole('button', { name: 'Save and continue' })).toBeFocused();
    await checkScreen(app, 'unsaved-changes-warning', problems);
    await page.keyboard.press('Escape');
    await expect(warning).toBeHidden();
    await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
    await expect(cap).toHaveValue(edited);

    // Another Settings page: Discard drops the edit and goes there.
    await press(page, settingsNav.getByRole('button', { name: 'This computer' }));
    await press(page, warning.getByRole('button', { name: 'Discard changes' }));
    await expect(settingsNav.getByRole('button', { name: 'This computer' })).toHaveAttribute('aria-current', 'page');
    await press(page, settingsNav.getByRole('button', { name: 'Call policy' }));
    await expect(cap).toHaveValue(before, { timeout: 20_000 });

    // Save and continue saves, then leaves; coming back shows the saved cap and leaving asks nothing.
    await press(page, cap, 'Control+A');
    await page.keyboard.type(edited);
    await press(page, page.getByRole('tab', { name: 'History' }));
    await press(page, warning.getByRole('button', { name: 'Save and continue' }));
    await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true', { timeout: 20_000 });
    await press(page, page.getByRole('tab', { name: 'Settings' }));
    await press(page, settingsNav.getByRole('button', { name: 'Call policy' }));
    await expect(cap).toHaveValue(edited, { timeout: 20_000 });
    await press(page, page.getByRole('tab', { name: 'History' }));
    await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
    await expect(warning).toBeHidden();
    expect(problems).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });

  test('Slack: connect the demo workspace, Load More members and channels, a test message from the Slack step arrives there; by keyboard', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud of the browser host');
    const { page } = app;
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');

    await press(page, page.getByRole('tab', { name: 'Settings' }));
    const settingsNav = page.getByRole('navigation', { name: 'Settings pages' });
    await press(page, settingsNav.getByRole('button', { name: 'Integrations' }));
    await expect(page.getByText('No Slack workspace is connected.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText(/Slack here is a stand-in on this computer with a demo workspace/)).toBeVisible();

    // Connect: Slack's consent page (the stand-in's) from the link, Allow, and the cloud says it is connected.
    await press(page, page.getByRole('button', { name: 'Connect a workspace' }));
    const link = page.getByRole('link', { name: "Open Slack's page to approve" });
    await expect(link).toBeVisible({ timeout: 20_000 });
    const href = (await link.getAttribute('href')) ?? '';
    // The demo workspace starts after the automation workers (off the path to "Ready for calls"): wait until it answers.
    await eventually(async () => (await fetch(new URL('/', href))).status > 0, 'the demo Slack workspace to listen', 90_000);
    const opening = page.context().waitForEvent('page', { timeout: 20_000 });
    await press(page, link);
    const consent = await opening;
    await expect(consent.getByRole('heading', { name: `Allow Aesthetix to access ${DEMO_SLACK}?` })).toBeVisible({ timeout: 20_000 });
    await press(consent, consent.getByRole('button', { name: 'Allow' }));
    await expect(consent.getByRole('heading', { name: 'Slack connected' })).toBeVisible({ timeout: 20_000 });
    await consent.close();
    await page.bringToFront();
    await press(page, page.getByRole('button', { name: 'Refresh', exact: true }));
    const workspace = page.getByRole('list', { name: 'Connected workspaces' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: DEMO_SLACK }) });
    await expect(workspace).toBeVisible({ timeout: 20_000 });

    // Its members and public channels: the first page, then "Load More" brings more.
    for (const kind of ['Members', 'Public channels']) {
      await press(page, workspace.getByRole('button', { name: kind, exact: true }));
      const items = workspace.locator('.slack-items > li');
      const loadMore = workspace.getByRole('button', { name: 'Load More' });
      await expect(loadMore).toBeVisible({ timeout: 20_000 });
      const firstPage = await items.count();
      expect(firstPage).toBeGreaterThan(0);
      await press(page, loadMore);
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThan(firstPage);
    }
    await expect(workspace.getByText(/#front-desk/)).toBeVisible();
    await checkScreen(app, 'workflow-settings-slack', problems);

    // A Slack step's panel: the workspace, a public channel from the list (Load More), a test message.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    const nav = page.getByRole('navigation', { name: 'Automation' });
    await press(page, nav.getByRole('button', { name: 'Workflows' }));
    await typeInto(page, page.getByLabel('New workflow name'), 'New lead to Slack');
    await page.keyboard.press('Enter');
    await press(page, page.getByRole('button', { name: 'Add the first action' }));
    const panel = page.getByRole('dialog');
    await press(page, panel.getByRole('button', { name: 'Slack', exact: true }));
    const account = panel.getByRole('combobox', { name: 'Choose an Account' });
    await account.focus();
    await expect(account).toBeFocused();
    await account.selectOption({ label: DEMO_SLACK });
    const eventChoice = panel.getByRole('combobox', { name: 'Event' });
    await eventChoice.focus();
    await expect(eventChoice).toBeFocused();
    await eventChoice.selectOption('public_channel');
    const channels = panel.getByRole('group', { name: 'Channel', exact: true });
    const channelLoadMore = channels.getByRole('button', { name: 'Load More' });
    await expect(channelLoadMore).toBeVisible({ timeout: 20_000 });
    const shown = await channels.getByRole('radio').count();
    await press(page, channelLoadMore);
    await expect.poll(() => channels.getByRole('radio').count(), { timeout: 20_000 }).toBeGreaterThan(shown);
    const frontDesk = channels.getByRole('radio', { name: /^#front-desk/ });
    await press(page, frontDesk, 'Space');
    await expect(frontDesk).toBeChecked();
    await typeInto(page, panel.getByRole('textbox', { name: 'Message Content' }), 'A new lead is waiting at the front desk');
    await press(page, panel.getByRole('button', { name: 'Send test Slack message' }));
    await expect(panel.getByText('Sent to Slack.')).toBeVisible({ timeout: 20_000 });
    await checkScreen(app, 'workflow-settings-slack-action', problems);
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    // At the stand-in: the demo workspace's #front-desk got it, as the Demo inbox shows.
    await press(page, page.getByRole('tab', { name: 'Demo inbox' }));
    const sent = page.getByRole('list', { name: 'Messages sent, newest first' }).getByRole('listitem').filter({ hasText: '[Test] A new lead is waiting at the front desk' });
    await expect(sent).toBeVisible({ timeout: 20_000 });
    await expect(sent).toContainText('Slack to #front-desk');

    // Disconnect, by keyboard.
    await press(page, page.getByRole('tab', { name: 'Settings' }));
    await press(page, settingsNav.getByRole('button', { name: 'Integrations' }));
    await press(page, workspace.getByRole('button', { name: 'Disconnect' }));
    await press(page, page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }));
    await expect(page.getByText(`Disconnected ${DEMO_SLACK}.`)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText('No Slack workspace is connected.')).toBeVisible();

    expect(problems).toEqual([]);
  });
});
