import { expect, test } from './fixtures';
import { checkScreen, cloudAsAdmin, press, signInAs, typeInto } from './support';

/**
 * Issue [ai-actions], the desktop builder, in the browser host with the embedded cloud (scripted
 * brain): the admin creates an agent and gives it a During the Call card and an After the Call card
 * by keyboard; once it has 15 actions during the call, a 16th is refused with the limit's sentence
 * before the cloud is asked. Axe (serious/critical) light and dark, 400 and 1920 px, screenshots in
 * test/e2e/artifacts/.
 */

test.describe('AI agents builder', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');
  test.describe.configure({ timeout: 240_000 });

  test('the admin builds an agent with two cards by keyboard; the 16th action during the call is refused with the limit sentence', async ({ app }) => {
    const { page } = app;
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');

    await press(page, page.getByRole('tab', { name: 'AI agents' }));
    await expect(page.getByText('No agents yet.')).toBeVisible();
    await checkScreen(app, 'agents-list-empty', problems);

    // The agent: name, the main line, after hours (the default), greeting kept.
    await press(page, page.getByRole('button', { name: '+ New agent' }));
    await typeInto(page, page.getByLabel('Name', { exact: true }), 'Night desk');
    await press(page, page.getByRole('group', { name: 'Lines it answers' }).getByRole('checkbox').first(), 'Space');
    await expect(page.getByRole('group', { name: 'Lines it answers' }).getByRole('checkbox').first()).toBeChecked();
    await typeInto(page, page.getByLabel('Goals (what the agent is there to do)'), 'Book facials; put callers who ask for a nurse through.');
    await press(page, page.getByRole('button', { name: 'Create agent' }));
    await expect(page.getByRole('heading', { name: 'Night desk' })).toBeVisible();

    // During the Call: New Action → Call Transfer → its focused window → Save → the card.
    await press(page, page.getByRole('button', { name: '+ New Action' }));
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'New action: choose the type' })).toBeVisible();
    await checkScreen(app, 'agents-type-chooser', problems);
    await press(page, dialog.getByRole('button', { name: 'Call Transfer' }));
    const member = dialog.getByLabel('Team member');
    await member.focus();
    await expect(member).toBeFocused();
    await member.selectOption({ index: 1 });
    await typeInto(page, dialog.getByLabel('When (in words)'), 'caller asks for a nurse');
    await press(page, dialog.getByRole('button', { name: 'Save' }));
    await expect(page.getByRole('article', { name: /Call Transfer/ })).toContainText('when caller asks for a nurse');
    await expect(page.getByLabel('Actions during the call: 1 of 15')).toBeVisible();

    // After the Call (arrow key on the tabs): Update Contact Fields.
    await press(page, page.getByRole('tab', { name: 'During the Call' }), 'Enter');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'After the Call' })).toHaveAttribute('aria-selected', 'true');
    await press(page, page.getByRole('button', { name: '+ New Action' }));
    await typeInto(page, dialog.getByLabel('What to extract'), "the caller's email address");
    await press(page, dialog.getByRole('button', { name: 'Save' }));
    await expect(page.getByRole('article', { name: /Update Contact Fields/ })).toContainText('Sets email from the conversation');
    await expect(page.getByLabel('Contact-field updates after the call: 1 of 25 field updates')).toBeVisible();
    await checkScreen(app, 'agents-editor', problems);

    // 14 more during the call (through the cloud API, as another admin would), then the 16th by keyboard.
    const cloud = await cloudAsAdmin(app);
    const [agent] = await cloud.get<Array<{ id: string }>>('/v1/agents');
    for (let i = 0; i < 14; i++) await cloud.send('POST', `/v1/agents/${agent!.id}/actions`, { name: `Text ${i + 1}`, config: { type: 'send_sms', message: 'Hi {{contact.first_name}}' } });
    await press(page, page.getByRole('button', { name: '← All agents' }));
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await press(page, page.getByRole('tab', { name: 'AI agents' }));
    await expect(page.getByText('15 during the call, 1 after')).toBeVisible();
    await press(page, page.getByRole('button', { name: 'Night desk' }));
    await expect(page.getByLabel('Actions during the call: 15 of 15')).toBeVisible();
    await press(page, page.getByRole('button', { name: '+ New Action' }));
    await press(page, dialog.getByRole('button', { name: 'Send SMS' }));
    await expect(dialog.getByRole('alert')).toHaveText('An agent can have at most 15 actions during the call; delete one first.');
    await checkScreen(app, 'agents-limit-refused', problems);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect((await cloud.get<Array<{ actions: unknown[] }>>('/v1/agents'))[0]!.actions).toHaveLength(16);

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
