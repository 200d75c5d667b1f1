import { describe, expect, it } from 'vitest';
import { quitQuestion } from '../quit-guard';
import { confirmBoxOptions, confirmedBy } from './message-box';

describe('main’s native question box', () => {
  it('the quit dialog: Keep editing is the first button, the default (Enter) and Escape; only Discard and quit confirms', () => {
    const options = confirmBoxOptions(quitQuestion(['Call policy'], 'user'));
    expect(options).toMatchObject({ message: 'Call policy has unsaved changes', buttons: ['Keep editing', 'Discard and quit'], defaultId: 0, cancelId: 0, noLink: true });
    expect(confirmedBy(0)).toBe(false);
    expect(confirmedBy(1)).toBe(true);
  });

  it('passes the signal that closes it (as cancelled), and says Cancel when no label is given', () => {
    const signal = new AbortController().signal;
    expect(confirmBoxOptions({ message: 'm', detail: 'd', confirmLabel: 'Connect', signal })).toMatchObject({ buttons: ['Cancel', 'Connect'], signal });
    expect('signal' in confirmBoxOptions({ message: 'm', detail: 'd', confirmLabel: 'Connect' })).toBe(false);
  });
});
