import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallPolicyView } from '../../../shared/cloud/call-policy';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useCallPolicy } from './call-policy-store';
import { CallPolicySection } from './CallPolicySection';

const fake = installFakeBridge();
const homeOnly: CallPolicyView = { country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 };
let stored: CallPolicyView;

beforeEach(() => {
  fake.calls.length = 0;
  stored = homeOnly;
  fake.handlers['callPolicy.get'] = () => stored;
  fake.handlers['callPolicy.update'] = (input) => {
    const changes = input as { allowedCountries?: string[] | null; outboundCallsPerUserHour?: number };
    const allowed = changes.allowedCountries === undefined ? (stored.usingDefault ? null : stored.allowedCountries) : changes.allowedCountries;
    stored = { ...stored, allowedCountries: allowed ?? [stored.country], usingDefault: allowed === null, outboundCallsPerUserHour: changes.outboundCallsPerUserHour ?? stored.outboundCallsPerUserHour };
    return stored;
  };
});
afterEach(() => {
  cleanup();
  useCallPolicy.setState({ owner: null, policy: null, draft: { allowed: null, cap: '' } });
});

const show = async (isAdmin: boolean) => {
  await act(async () => {
    render(<CallPolicySection isAdmin={isAdmin} />);
  });
};
const allowedNames = () => within(screen.getByRole('list')).getAllByRole('listitem').map((li) => li.firstElementChild?.textContent);
const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const press = async (name: string | RegExp) => {
  await act(async () => {
    fireEvent.click(button(name));
  });
};
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Settings → Call policy', () => {
  it('lets an admin add countries by searching, change the cap, and save explicitly', async () => {
    await show(true);
    expect(screen.getByText('United States (US)', { selector: 'strong' })).toBeTruthy();
    expect(allowedNames()).toEqual(['United States (US) — our own country only (the default)']);
    expect(button('Save call policy').disabled).toBe(true);

    type('Find a country', 'canad');
    expect((screen.getByLabelText('Country to allow') as HTMLSelectElement).value).toBe('CA');
    // Enter in the search box adds the country the list shows.
    await act(async () => {
      fireEvent.submit(screen.getByLabelText('Find a country').closest('form')!);
    });
    type('Find a country', 'mexico');
    await press('Add country');
    expect(allowedNames()).toEqual(['United States (US)', 'Canada (CA)', 'Mexico (MX)']);
    await press('Remove Mexico (MX)');
    type('Outbound calls per person per hour', '25');

    await press('Save call policy');
    expect(fake.callsTo('callPolicy.update')).toEqual([{ allowedCountries: ['US', 'CA'], outboundCallsPerUserHour: 25 }]);
    expect(screen.getByRole('status').textContent).toBe('Saved.');
    expect(button('Save call policy').disabled).toBe(true);

    // "Only our own country" goes back to the default (null), sent as such.
    await press('Only our own country');
    expect(screen.queryByRole('status')).toBeNull();
    await press('Save call policy');
    expect(fake.callsTo('callPolicy.update')[1]).toEqual({ allowedCountries: null });
    expect(allowedNames()).toEqual(['United States (US) — our own country only (the default)']);
  });

  it('keeps at least one country, and warns when our own country is left out', async () => {
    stored = { country: 'US', allowedCountries: ['US', 'CA'], usingDefault: false, outboundCallsPerUserHour: 60 };
    await show(true);
    expect(screen.queryByText(/our own country, are not allowed/)).toBeNull();
    await press('Remove United States (US)');
    expect(allowedNames()).toEqual(['Canada (CA)']);
    expect(screen.getByText('Calls to United States (US), our own country, are not allowed with this list.')).toBeTruthy();
    expect(button('Remove Canada (CA)').disabled).toBe(true);
    expect(screen.getByText(/At least one country stays allowed/)).toBeTruthy();
    await press('Save call policy');
    expect(fake.callsTo('callPolicy.update')).toEqual([{ allowedCountries: ['CA'] }]);
  });

  it('does not offer a cap outside the cloud’s limits', async () => {
    await show(true);
    const cap = screen.getByLabelText('Outbound calls per person per hour') as HTMLInputElement;
    expect([cap.min, cap.max]).toEqual(['1', '10000']);
    type('Outbound calls per person per hour', '0');
    expect(cap.getAttribute('aria-invalid')).toBe('true');
    expect(button('Save call policy').disabled).toBe(true);
    type('Outbound calls per person per hour', '10001');
    expect(button('Save call policy').disabled).toBe(true);
    type('Outbound calls per person per hour', '10000');
    expect(button('Save call policy').disabled).toBe(false);
  });

  it('shows the cloud’s refusal in place and keeps what the admin chose', async () => {
    fake.handlers['callPolicy.update'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached. Connect to change the call policy: it is kept online, not on this computer.'), { code: 'NETWORK' });
    };
    await show(true);
    type('Find a country', 'CA');
    await press('Add country');
    await press('Save call policy');
    expect(screen.getByRole('alert').textContent).toMatch(/Connect to change the call policy/);
    expect(allowedNames()).toContain('Canada (CA)');
    expect(screen.queryByText('Saved.')).toBeNull();
  });

  it('shows a receptionist the policy read-only, saying only an admin can change it', async () => {
    stored = { country: 'US', allowedCountries: ['US', 'CA'], usingDefault: false, outboundCallsPerUserHour: 40 };
    await show(false);
    expect(screen.getByText('Only an admin can change the call policy.')).toBeTruthy();
    expect(allowedNames()).toEqual(['United States (US)', 'Canada (CA)']);
    expect(screen.getByText('40')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('spinbutton')).toBeNull();
  });

  it('says plainly when the policy cannot be read offline, and tries again on request', async () => {
    fake.handlers['callPolicy.get'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached. Connect to change the call policy: it is kept online, not on this computer.'), { code: 'NETWORK' });
    };
    await show(true);
    expect(screen.getByRole('alert').textContent).toMatch(/Connect to change the call policy/);
    fake.handlers['callPolicy.get'] = () => stored;
    await press('Try again');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(allowedNames()).toHaveLength(1);
  });
});
