import { join } from 'node:path';
import { openCache } from '../../../src/main/cache/cache';
import type { Call } from '../../../src/shared/cloud';

/**
 * Writes `count` calls straight into a browser host's local cache (its user-data folder), as a
 * pull would: one a minute from 2024-01-01, a third outgoing, no contacts (each row formats its
 * number). The host must have signed in once (the cache knows its user). Returns the ms it took.
 */
export function seedHistory(userDataDir: string, count: number): number {
  const cache = openCache({ file: join(userDataDir, 'cache.sqlite') });
  const started = Date.now();
  try {
    const me = cache.session.user()!;
    const numbers = cache.directory.phoneNumbers();
    const cursor = cache.getCursor();
    const pageSize = 2_000;
    for (let offset = 0; offset < count; offset += pageSize) {
      const calls: Call[] = Array.from({ length: Math.min(pageSize, count - offset) }, (_, k) => {
        const n = offset + k;
        const at = Date.parse('2024-01-01T08:00:00Z') + n * 60_000;
        return {
          id: `call_bench_${n}`,
          accountId: me.accountId,
          locationId: numbers[0]?.locationId ?? null,
          twilioCallSid: `CAbench${String(n).padStart(27, '0')}`,
          direction: n % 3 === 0 ? 'outbound' : 'inbound',
          source: 'softphone',
          from: `+1310555${String(n % 10_000).padStart(4, '0')}`,
          to: numbers[0]?.number ?? '+13105550100',
          phoneNumberId: numbers[0]?.id ?? null,
          userId: me.id,
          contactId: null,
          rangUserIds: [],
          status: 'completed',
          startedAt: new Date(at).toISOString(),
          answeredAt: new Date(at + 4_000).toISOString(),
          endedAt: new Date(at + 120_000).toISOString(),
          durationSeconds: 116,
          recordings: [],
          dispositionId: null,
          note: null,
          seq: 1,
        };
      });
      cache.applyPull({ changes: { accounts: [], locations: [], teams: [], users: [], contacts: [], phoneNumbers: [], dispositions: [], calls, notifications: [] }, cursor, hasMore: false });
    }
  } finally {
    cache.close();
  }
  return Date.now() - started;
}

/**
 * In the page: scrolls the History list by `stepPx` each animation frame for `frames` frames (a
 * fast flick held) and returns each frame's duration two ways, the rows in the DOM and how far it got.
 * `durations`: between the frame times the browser stamps on requestAnimationFrame (the start of
 * each frame it produced: 16.7 ms at 60 Hz when none is dropped, 33.3 ms when one is). `resumed`:
 * between the moments this loop ran again after each frame, which adds the scheduling jitter of a
 * promise continuation on a loaded machine (the figure this bench printed before session 9).
 */
export async function scrollHistory({ frames, stepPx }: { frames: number; stepPx: number }): Promise<{ durations: number[]; resumed: number[]; rows: number; scrolled: number }> {
  const list = document.querySelector('[data-testid="history-list"]') as HTMLElement;
  const durations: number[] = [];
  const resumed: number[] = [];
  let lastFrame = await new Promise<number>((r) => requestAnimationFrame(r));
  let last = performance.now();
  for (let frame = 0; frame < frames; frame++) {
    list.scrollTop += stepPx;
    const frameTime = await new Promise<number>((r) => requestAnimationFrame(r));
    const now = performance.now();
    durations.push(frameTime - lastFrame);
    resumed.push(now - last);
    lastFrame = frameTime;
    last = now;
  }
  return { durations, resumed, rows: list.querySelectorAll('[role="listitem"]').length, scrolled: list.scrollTop };
}

/**
 * In a page: the frame times the browser stamps on requestAnimationFrame over `frames` frames, with
 * no work between them. On a blank page this is the display clock alone: its own jitter (headless
 * Chromium's begin-frame timer) puts about half the intervals a little over 16.7 ms.
 */
export async function frameClock({ frames }: { frames: number }): Promise<number[]> {
  const durations: number[] = [];
  let last = await new Promise<number>((r) => requestAnimationFrame(r));
  for (let frame = 0; frame < frames; frame++) {
    const time = await new Promise<number>((r) => requestAnimationFrame(r));
    durations.push(time - last);
    last = time;
  }
  return durations;
}

