import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePractice } from '../../state/practice';
import { installFakeBridge } from '../../testing/fake-bridge';
import type { CallState } from '../../voice';
import { incomingCall } from '../../voice/call-machine';
import { InCallPanel } from './InCallPanel';

installFakeBridge();
const LINE = '+13105550100';
const open = (id: string, recording: CallState['recording']): CallState => ({
  ...incomingCall({ id, from: '+13105550111', to: LINE, callSid: `CA${id}`, customParameters: {}, at: 0 }),
  recording,
  phase: { name: 'open', connectedAt: 0, reconnecting: false },
});

beforeEach(() => {
  usePractice.setState({ directory: { account: null, me: null, locations: [], teams: [], users: [], phoneNumbers: [{ id: 'pn1', number: LINE, recordCalls: true }] } as never });
});
afterEach(cleanup);

describe('InCallPanel: the recording state is the call’s own', () => {
  it('shows each call’s recording state, so a panel that moves from one call to another never shows the other’s', () => {
    const { rerender } = render(<InCallPanel key="a" call={open('a', 'paused')} />);
    expect(screen.getByTestId('recording-state').textContent).toBe('⏺ Recording paused — press P to resume');
    rerender(<InCallPanel key="b" call={open('b', 'recording')} />);
    expect(screen.getByTestId('recording-state').textContent).toBe('● Recording');
    rerender(<InCallPanel key="a" call={open('a', 'paused')} />);
    expect(screen.getByTestId('recording-state').textContent).toContain('Recording paused');
  });
});
