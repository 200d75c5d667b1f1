import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { call, disposition, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import type { WrapUpResolvedView, WrapUpStateView } from '../../shared/ipc/views';
import { ManualClock } from '../../shared/testing/manual-clock';
import { UNDO_MS, WrapUpService } from './wrap-up-service';

const t = useTempCache({ prefix: 'wrap-up-service-' });
let clock: ManualClock;
let kicks = 0;
let states: WrapUpStateView[] = [];
let resolved: WrapUpResolvedView[] = [];
let hotkeySlots: number[] = [];
let logs: string[] = [];

const service = () =>
  new WrapUpService({
    cache: t.cache,
    clock,
    bindDispositionHotkeys: (slots) => hotkeySlots.push(slots),
    onState: (state) => states.push(state),
    onResolved: (r) => resolved.push(r),
    kickSync: () => void kicks++,
    onLocalChange: () => undefined,
    log: (message) => logs.push(message),
  });
const start = (w: WrapUpService, twilioCallSid: string, locationId: string | null = null) =>
  w.start({ twilioCallSid, callId: null, endedAt: '2026-11-21T09:00:00Z', locationId });

beforeEach(() => {
  t.cache.applyPull(seedPage());
  clock = new ManualClock();
  kicks = 0;
  states = [];
  resolved = [];
  hotkeySlots = [];
  logs = [];
});

describe('WrapUpService', () => {
  it('start → choose → (undo window ends) commit writes the call and the outbox in one go and ends the wrap-up', async () => {
    t.cache.applyPull(page({ calls: [call('call_1', { twilioCallSid: 'CA1' })] }, 11));
    const w = service();
    start(w, 'CA1');
    const chosen = w.choose({ twilioCallSid: 'CA1', dispositionId: 'dsp_follow', note: 'call back Friday' });
    expect(chosen.items[0]).toMatchObject({ state: 'chosen' });
    expect(chosen.undo).toEqual({ twilioCallSid: 'CA1', dispositionId: 'dsp_follow', commitAt: clock.now() + UNDO_MS });
    await clock.advanceAsync(UNDO_MS - 1);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    await clock.advanceAsync(1);
    expect(t.cache.wrapups.list()).toEqual([]);
    expect(t.cache.calls.get('call_1')?.call).toMatchObject({ dispositionId: 'dsp_follow', note: 'call back Friday' });
    expect(t.cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation.type)).toEqual(['call.setDisposition']);
    expect(kicks).toBe(1);
    expect(resolved).toEqual([{ twilioCallSid: 'CA1', outcome: 'logged', dispositionLabel: 'Follow Up' }]);
    expect(states.at(-1)).toEqual({ items: [], undo: null, error: null });
  });

  it('undo within the window clears the choice and commits nothing', async () => {
    const w = service();
    start(w, 'CA1');
    w.choose({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: null });
    const undone = w.undo('CA1');
    expect(undone.undo).toBeNull();
    expect(undone.items[0]).toMatchObject({ dispositionId: null, state: 'pending' });
    await clock.advanceAsync(UNDO_MS * 2);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(resolved).toEqual([]);
  });

  it('refuses an Undo that arrives after the window, for a call not synced yet: the choice still commits when the call comes, and later pulls are not held up (UX review 41 #2)', async () => {
    const w = service();
    w.start({ twilioCallSid: 'CA9', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    w.start({ twilioCallSid: 'CA10', callId: null, endedAt: '2026-11-21T09:01:00Z', locationId: null });
    w.choose({ twilioCallSid: 'CA9', dispositionId: 'dsp_spam', note: null });
    await clock.advanceAsync(UNDO_MS); // committed: waits for its call; the picker may still show Undo for a moment
    const statesBefore = states.length;
    expect(() => w.undo('CA9')).toThrow('Too late to undo: “Spam call” was already saved.');
    expect(states).toHaveLength(statesBefore);
    expect(t.cache.wrapups.waitingForCall()).toEqual([expect.objectContaining({ twilioCallSid: 'CA9', dispositionId: 'dsp_spam' })]);
    expect(w.state().items.map((i) => i.twilioCallSid)).toEqual(['CA10']);
    w.choose({ twilioCallSid: 'CA10', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    t.cache.applyPull(page({ calls: [call('call_9', { twilioCallSid: 'CA9' }), call('call_10', { twilioCallSid: 'CA10' })] }, 12));
    w.afterPull(['calls']);
    expect(t.cache.calls.get('call_9')?.call.dispositionId).toBe('dsp_spam');
    expect(t.cache.calls.get('call_10')?.call.dispositionId).toBe('dsp_booked');
    expect(t.cache.wrapups.list()).toEqual([]);
  });

  it('refuses an Undo after the window for a call already committed, and writes nothing', async () => {
    t.cache.applyPull(page({ calls: [call('call_1', { twilioCallSid: 'CA1' })] }, 11));
    const w = service();
    start(w, 'CA1');
    w.choose({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    expect(() => w.undo('CA1')).toThrow('Too late to undo: “Booked” was already saved.');
    expect(t.cache.calls.get('call_1')?.call.dispositionId).toBe('dsp_booked');
    expect(t.cache.outbox.pendingCount()).toBe(1);
    // A skipped call saved nothing: no "already saved".
    start(w, 'CA2');
    w.dismiss('CA2');
    expect(() => w.undo('CA2')).toThrow('That call is no longer waiting for a disposition.');
  });

  it('a second Undo of the same choice changes nothing', () => {
    const w = service();
    start(w, 'CA1');
    w.choose({ twilioCallSid: 'CA1', dispositionId: 'dsp_booked', note: 'wants Friday' });
    w.undo('CA1');
    const statesBefore = states.length;
    expect(w.undo('CA1').items).toEqual([expect.objectContaining({ twilioCallSid: 'CA1', dispositionId: null, note: 'wants Friday' })]);
    expect(states).toHaveLength(statesBefore);
  });

  it('a wrap-up an earlier version left waiting for its call with no disposition goes back to the picker at start, and pulls go on (UX review 41 #2)', () => {
    // As a late Undo left it before undo() refused one: marked waiting, its choice cleared.
    t.cache.wrapups.upsert({ twilioCallSid: 'CA9', endedAt: '2026-11-21T09:00:00Z', note: 'wants Friday' });
    t.cache.wrapups.markWaitingForCall('CA9', 1_000);
    t.cache.wrapups.upsert({ twilioCallSid: 'CA10', endedAt: '2026-11-21T09:01:00Z', dispositionId: 'dsp_booked' });
    t.cache.wrapups.markWaitingForCall('CA10', 1_000);
    t.reopen();
    const w = service();
    expect(w.commitInterruptedChoices()).toBe(0);
    expect(w.state()).toMatchObject({
      items: [expect.objectContaining({ twilioCallSid: 'CA9', dispositionId: null, note: 'wants Friday', state: 'pending' })],
      error: { twilioCallSid: 'CA9', message: 'The disposition for this call was not saved. Choose it again.' },
    });
    expect(logs).toEqual([expect.stringContaining('CA9 cannot be saved (no disposition)')]);
    // Its call, and the other's, arrive: the other commits; CA9 waits for the receptionist.
    t.cache.applyPull(page({ calls: [call('call_9', { twilioCallSid: 'CA9' }), call('call_10', { twilioCallSid: 'CA10' })] }, 12));
    w.afterPull(['calls']);
    expect(t.cache.calls.get('call_10')?.call.dispositionId).toBe('dsp_booked');
    expect(t.cache.calls.get('call_9')?.call.dispositionId).toBeNull();
    w.choose({ twilioCallSid: 'CA9', dispositionId: 'dsp_follow', note: 'wants Friday' });
    expect(w.state().error).toBeNull();
  });

  it('after a pull, a waiting wrap-up with no disposition goes back to the picker instead of stopping the others', async () => {
    const w = service();
    w.start({ twilioCallSid: 'CA9', callId: null, endedAt: '2026-11-21T09:00:00Z', locationId: null });
    w.start({ twilioCallSid: 'CA10', callId: null, endedAt: '2026-11-21T09:01:00Z', locationId: null });
    w.choose({ twilioCallSid: 'CA10', dispositionId: 'dsp_spam', note: null });
    await clock.advanceAsync(UNDO_MS); // CA10 waits for its call
    t.cache.wrapups.markWaitingForCall('CA9', 1_000); // with no disposition, as an earlier version's late Undo left it
    t.cache.applyPull(page({ calls: [call('call_9', { twilioCallSid: 'CA9' }), call('call_10', { twilioCallSid: 'CA10' })] }, 12));
    expect(() => w.afterPull(['calls'])).not.toThrow();
    expect(t.cache.calls.get('call_10')?.call.dispositionId).toBe('dsp_spam');
    expect(states.at(-1)?.items.map((i) => i.twilioCallSid)).toEqual(['CA9']);
  });

  it('a choice whose disposition was deleted before its call arrived goes back to the picker and says so', async () => {
    const w = service();
    start(w, 'CA3');
    w.choose({ twilioCallSid: 'CA3', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    t.cache.applyPull(page({ dispositions: [disposition('dsp_booked', 'Booked', 0, { seq: 2, deletedAt: '2026-12-01T09:00:00.000Z' })], calls: [call('call_3', { twilioCallSid: 'CA3' })] }, 12));
    w.afterPull(['calls', 'dispositions']);
    expect(t.cache.calls.get('call_3')?.call.dispositionId).toBeNull();
    expect(w.state()).toMatchObject({
      items: [expect.objectContaining({ twilioCallSid: 'CA3', dispositionId: null })],
      error: { twilioCallSid: 'CA3', message: '“Booked” was deleted before this call’s disposition was saved. Choose another.' },
    });
  });

  it('a waiting commit that fails is logged and tried again after the next pull; the others commit meanwhile', async () => {
    const w = service();
    start(w, 'CA9');
    start(w, 'CA10');
    w.choose({ twilioCallSid: 'CA9', dispositionId: 'dsp_spam', note: null });
    w.choose({ twilioCallSid: 'CA10', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    t.cache.applyPull(page({ calls: [call('call_9', { twilioCallSid: 'CA9' }), call('call_10', { twilioCallSid: 'CA10' })] }, 12));
    // CA10 sorts first (same end time): its commit fails, CA9's goes through after it.
    const write = t.cache.calls.setDispositionLocally;
    const failing = vi.spyOn(t.cache.calls, 'setDispositionLocally').mockImplementation((input) => {
      if (input.callId === 'call_10') throw new Error('SQLITE_BUSY: database is locked');
      return write(input);
    });
    w.afterPull(['calls']);
    expect(t.cache.calls.get('call_9')?.call.dispositionId).toBe('dsp_spam');
    expect(logs).toEqual([expect.stringContaining('Could not commit the disposition waiting for call CA10')]);
    expect(t.cache.wrapups.waitingForCall().map((i) => i.twilioCallSid)).toEqual(['CA10']);
    failing.mockRestore();
    w.afterPull(['calls']);
    expect(t.cache.calls.get('call_10')?.call.dispositionId).toBe('dsp_booked');
    expect(t.cache.wrapups.list()).toEqual([]);
  });

  it('a choice shown as "Logged" survives a crash inside the undo window: committed at the next start, never picked twice (#13 item 8)', () => {
    t.cache.applyPull(page({ calls: [call('call_2', { twilioCallSid: 'CA2' })] }, 11));
    const w = service();
    start(w, 'CA2', 'loc_1');
    start(w, 'CA2b');
    w.choose({ twilioCallSid: 'CA2b', dispositionId: 'dsp_follow', note: 'Friday' }); // its call has not arrived yet
    w.choose({ twilioCallSid: 'CA2', dispositionId: 'dsp_booked', note: 'consult' }); // commits CA2b (marker), CA2 in its window
    start(w, 'CA2c'); // not chosen: stays open
    // The process dies inside CA2's undo window: no timer, no dispose.
    t.reopen();
    const after = service();
    expect(after.commitInterruptedChoices()).toBe(1);
    expect(after.state().items.map((i) => i.twilioCallSid)).toEqual(['CA2c']);
    expect(t.cache.calls.get('call_2')?.call).toMatchObject({ dispositionId: 'dsp_booked', note: 'consult' });
    expect(t.cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation.type)).toEqual(['call.setDisposition']);
    // CA2b still waits for its call, and commits when it arrives.
    t.cache.applyPull(page({ calls: [call('call_2b', { twilioCallSid: 'CA2b' })] }, 12));
    after.afterPull(['calls']);
    expect(t.cache.calls.get('call_2b')?.call.dispositionId).toBe('dsp_follow');
    expect(after.commitInterruptedChoices()).toBe(0);
  });

  it('an undone choice is not committed at the next start', () => {
    const w = service();
    start(w, 'CA2d');
    w.choose({ twilioCallSid: 'CA2d', dispositionId: 'dsp_booked', note: null });
    w.undo('CA2d');
    t.reopen();
    const after = service();
    expect(after.commitInterruptedChoices()).toBe(0);
    expect(after.state().items).toEqual([expect.objectContaining({ twilioCallSid: 'CA2d', dispositionId: null, state: 'pending' })]);
  });

  it('commits once the call arrives when the cloud had not sent it yet', async () => {
    const w = service();
    start(w, 'CA3');
    w.choose({ twilioCallSid: 'CA3', dispositionId: 'dsp_spam', note: null });
    await clock.advanceAsync(UNDO_MS);
    // Logged for the receptionist; the commit waits for the call.
    expect(resolved).toEqual([{ twilioCallSid: 'CA3', outcome: 'logged', dispositionLabel: 'Spam call' }]);
    expect(w.state().items).toEqual([]);
    expect(w.commitWaiting()).toBe(0);
    t.cache.applyPull(page({ calls: [call('call_3', { twilioCallSid: 'CA3' })] }, 12));
    w.afterPull(['calls']);
    expect(t.cache.calls.get('call_3')?.call.dispositionId).toBe('dsp_spam');
    expect(t.cache.wrapups.list()).toEqual([]);
    expect(w.commitWaiting()).toBe(0);
  });

  it('a commit is one durable write, and no wrap-up leaves anything behind in sync_state', async () => {
    t.cache.applyPull(page({ calls: [call('call_6', { twilioCallSid: 'CA6' })] }, 11));
    // The cache's one sync per durable write (cache-writes.ts, through wal-upkeep.ts's WalSync): counted, not changed.
    const walSyncs = vi.spyOn((t.cache as unknown as { writes: { walSync: { sync(): void } } }).writes.walSync, 'sync');
    const w = service();
    start(w, 'CA6');
    w.choose({ twilioCallSid: 'CA6', dispositionId: 'dsp_booked', note: null });
    walSyncs.mockClear();
    await clock.advanceAsync(UNDO_MS);
    expect(t.cache.calls.get('call_6')?.call.dispositionId).toBe('dsp_booked');
    expect(walSyncs).toHaveBeenCalledTimes(1); // the call row, the outbox row and the wrap-up's removal together
    // A commit that waits for its call, then commits; and a dismissed wrap-up.
    start(w, 'CA7');
    w.choose({ twilioCallSid: 'CA7', dispositionId: 'dsp_spam', note: null });
    await clock.advanceAsync(UNDO_MS);
    expect(t.cache.wrapups.waitingForCall().map((w) => w.twilioCallSid)).toEqual(['CA7']);
    // A pull without its call: still waiting, and marked already, so nothing is written.
    walSyncs.mockClear();
    expect(w.commitWaiting()).toBe(0);
    expect(walSyncs).not.toHaveBeenCalled();
    t.cache.applyPull(page({ calls: [call('call_7', { twilioCallSid: 'CA7' })] }, 12));
    walSyncs.mockClear();
    w.afterPull(['calls']);
    expect(walSyncs).toHaveBeenCalledTimes(1);
    start(w, 'CA8');
    w.dismiss('CA8');
    expect(t.cache.wrapups.list()).toEqual([]);
    const raw = new Database(t.cache.file, { readonly: true });
    try {
      expect(raw.prepare("SELECT key FROM sync_state WHERE key LIKE 'commit.%'").pluck().all()).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('refuses a disposition that does not exist and keeps the wrap-up as it was', async () => {
    const w = service();
    start(w, 'CA4');
    expect(() => w.choose({ twilioCallSid: 'CA4', dispositionId: 'dsp_nope', note: null })).toThrow(/no longer exists/);
    expect(t.cache.wrapups.get('CA4')).toMatchObject({ state: 'pending', dispositionId: null });
    await clock.advanceAsync(UNDO_MS * 2);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(() => w.choose({ twilioCallSid: 'CA_gone', dispositionId: 'dsp_booked', note: null })).toThrow(/no longer waiting/);
  });

  it('refuses a disposition an admin deleted since the picker was drawn', () => {
    const w = service();
    start(w, 'CA4d');
    t.cache.applyPull(page({ dispositions: [disposition('dsp_booked', 'Booked', 0, { seq: 2, deletedAt: '2026-12-01T09:00:00.000Z' })] }, 11));
    expect(() => w.choose({ twilioCallSid: 'CA4d', dispositionId: 'dsp_booked', note: null })).toThrow(/no longer exists/);
    expect(t.cache.wrapups.get('CA4d')).toMatchObject({ state: 'pending', dispositionId: null });
  });

  it('dismisses a wrap-up without a disposition (desk phone, skipped)', () => {
    const w = service();
    start(w, 'CA5');
    expect(w.dismiss('CA5').items).toEqual([]);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(resolved).toEqual([{ twilioCallSid: 'CA5', outcome: 'skipped', dispositionLabel: null }]);
  });

  it('a late second report of a call’s end does not bring back a wrap-up already skipped or logged', async () => {
    t.cache.applyPull(page({ calls: [call('call_6', { twilioCallSid: 'CA6' })] }, 11));
    const w = service();
    start(w, 'CA5');
    w.dismiss('CA5');
    expect(start(w, 'CA5').items).toEqual([]);
    start(w, 'CA6');
    w.choose({ twilioCallSid: 'CA6', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    expect(start(w, 'CA6').items).toEqual([]);
    expect(t.cache.wrapups.list()).toEqual([]);
    expect(states.at(-1)?.items).toEqual([]);
    // Another call still starts its own.
    expect(start(w, 'CA7').items.map((i) => i.twilioCallSid)).toEqual(['CA7']);
  });

  it('binds one digit hotkey per disposition while a wrap-up waits and the phone is free', () => {
    const w = service();
    start(w, 'CA6');
    expect(hotkeySlots).toEqual([3]);
    w.setPhoneBusy(true); // another call rings: the digits are not the wrap-up's now
    w.setPhoneBusy(false);
    w.dismiss('CA6');
    expect(hotkeySlots).toEqual([3, 0, 3, 0]);
  });

  it('a digit hotkey chooses for the wrap-up the picker shows, with the note typed so far', async () => {
    t.cache.applyPull(page({ calls: [call('call_7', { twilioCallSid: 'CA7' })] }, 11));
    const w = service();
    start(w, 'CA7');
    start(w, 'CA8');
    w.setNote('CA7', 'wants Friday');
    expect(w.chooseByHotkey(1)).toBe(true);
    expect(w.state().undo).toMatchObject({ twilioCallSid: 'CA7', dispositionId: 'dsp_follow' });
    expect(w.chooseByHotkey(9)).toBe(false); // no tenth disposition
    await clock.advanceAsync(UNDO_MS);
    expect(t.cache.calls.get('call_7')?.call).toMatchObject({ dispositionId: 'dsp_follow', note: 'wants Friday' });
    w.setPhoneBusy(true);
    expect(w.chooseByHotkey(0)).toBe(false);
  });

  it('choosing another call commits the one still in its undo window at once', async () => {
    t.cache.applyPull(page({ calls: [call('call_9', { twilioCallSid: 'CA9' })] }, 11));
    const w = service();
    start(w, 'CA9');
    start(w, 'CA10');
    w.choose({ twilioCallSid: 'CA9', dispositionId: 'dsp_booked', note: null });
    w.choose({ twilioCallSid: 'CA10', dispositionId: 'dsp_spam', note: null });
    expect(t.cache.calls.get('call_9')?.call.dispositionId).toBe('dsp_booked');
    expect(w.state().undo).toMatchObject({ twilioCallSid: 'CA10' });
  });

  it('applies only in the call’s location once the receptionist works in another', () => {
    t.cache.applyPull(page({ locations: [{ id: 'loc_2', accountId: 'acc_1', name: 'Santa Monica', timezone: 'America/Los_Angeles', seq: 2, deletedAt: null }] }, 11));
    const w = service();
    start(w, 'CA11', 'loc_2');
    w.setWorkLocation('loc_1');
    expect(() => w.choose({ twilioCallSid: 'CA11', dispositionId: 'dsp_booked', note: null })).toThrow(/belongs to Santa Monica/);
    expect(w.chooseByHotkey(0)).toBe(false);
    w.setWorkLocation('loc_2');
    expect(w.chooseByHotkey(0)).toBe(true);
  });
});
