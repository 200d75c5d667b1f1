import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/support/cache-fixtures';
import { CHOICE_LOG_BYTES, ChoiceLog, choiceLogFileFor } from './choice-log';

const choice = (n: number, note: string | null = `note ${n}`) => ({ sid: `CA${n}`, dispositionId: n % 2 === 0 ? 'dsp_booked' : null, note, at: 1_000 + n });
const noWrap = () => {
  throw new Error('no wrap expected');
};

describe('the choice log', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    tmp = tempDir('choice-log-');
    file = choiceLogFileFor(tmp.file);
  });
  afterEach(() => tmp.cleanup());

  it('lives beside the cache file, created zero-filled at its full size', () => {
    expect(file).toBe(join(tmp.dir, 'cache.choices.log'));
    const { log, logged } = ChoiceLog.open(file);
    expect(logged).toEqual([]);
    expect(log.hasRecords).toBe(false);
    expect(statSync(file).size).toBe(CHOICE_LOG_BYTES);
    expect(readFileSync(file).every((byte) => byte === 0)).toBe(true);
    log.close();
  });

  it('gives back every synced choice, oldest first, without the cancelled ones; cleared, it gives back none', () => {
    const { log } = ChoiceLog.open(file);
    const numbers = [1, 2, 3, 4].map((n) => log.append(choice(n), noWrap));
    log.cancel(numbers[2]!, noWrap);
    log.close();
    const reopened = ChoiceLog.open(file);
    expect(reopened.logged).toEqual([1, 2, 4].map((n, i) => ({ seq: [1, 2, 4][i], ...choice(n) })));
    expect(reopened.log.hasRecords).toBe(true);
    // Numbering goes on after the highest number read, so a cancel never names a choice of an earlier run.
    expect(reopened.log.append(choice(5), noWrap)).toBe(6);
    reopened.log.clear();
    expect(reopened.log.hasRecords).toBe(false);
    reopened.log.close();
    const cleared = ChoiceLog.open(file);
    expect(cleared.logged).toEqual([]);
    cleared.log.close();
  });

  it('keeps a small record inside one 4 KB block and reads back records of every size, up to the longest note', () => {
    const { log } = ChoiceLog.open(file);
    // ~4 KB of three-byte characters: a record of ~12 KB spans blocks; the small ones around it do not straddle one.
    const notes = ['short', 'x'.repeat(3_000), '€'.repeat(4_000), null, 'y'.repeat(500), '\u0001'.repeat(4_000)];
    notes.forEach((note, n) => log.append(choice(n, note), noWrap));
    log.close();
    expect(ChoiceLog.open(file).logged.map((c) => c.note)).toEqual(notes);
    const bytes = readFileSync(file);
    // The third record (after 'short' and 3,000 x's) did not fit in the first block: it starts on the second.
    expect(bytes.readUInt32LE(4096)).toBe(0x31435841);
  });

  it('reads a record whose CRC an earlier version wrote as a signed number (the same four bytes)', () => {
    // Earlier versions wrote the CRC-32 with writeInt32LE; a log left by a crash before an update must still replay.
    const payloads = Array.from({ length: 16 }, (_, n) => JSON.stringify({ seq: n + 1, ...choice(n) }));
    const payload = Buffer.from(payloads.find((json) => crc32(Buffer.from(json)) >= 2 ** 31)!); // the top bit set: negative when signed
    const bytes = Buffer.alloc(CHOICE_LOG_BYTES);
    bytes.writeUInt32LE(0x31435841, 0);
    bytes.writeUInt32LE(payload.length, 4);
    bytes.writeInt32LE(crc32(payload) | 0, 8);
    payload.copy(bytes, 12);
    writeFileSync(file, bytes);
    const { log, logged } = ChoiceLog.open(file);
    expect(logged).toEqual([JSON.parse(payload.toString())]);
    log.close();
  });

  it('skips a torn record and whatever is not a record, keeping the rest', () => {
    const { log } = ChoiceLog.open(file);
    [1, 2, 3].forEach((n) => log.append(choice(n), noWrap));
    log.close();
    const bytes = readFileSync(file);
    const third = bytes.indexOf(Buffer.from('"sid":"CA3"'));
    bytes.writeUInt8(bytes.readUInt8(third + 3) ^ 0xff, third + 3); // a byte of the last record changed: its CRC no longer matches
    bytes.write('{"seq":9,"sid":"CAjunk"}', 8192); // no header: not a record
    writeFileSync(file, bytes);
    const reopened = ChoiceLog.open(file);
    expect(reopened.logged.map((c) => c.sid)).toEqual(['CA1', 'CA2']);
    reopened.log.close();
  });

  it('reads a file of the wrong size and puts a full-size one in its place, holding the choices it read', () => {
    const { log } = ChoiceLog.open(file);
    [1, 2].forEach((n) => log.append(choice(n), noWrap));
    const cancelled = log.append(choice(3), noWrap);
    log.cancel(cancelled, noWrap);
    log.close();
    writeFileSync(file, readFileSync(file).subarray(0, 1000)); // truncated (e.g. copied by hand)
    const reopened = ChoiceLog.open(file);
    expect(reopened.logged.map((c) => c.sid)).toEqual(['CA1', 'CA2']);
    expect(statSync(file).size).toBe(CHOICE_LOG_BYTES);
    reopened.log.close();
    // Not applied yet (say the replay failed): the next open still finds them.
    const again = ChoiceLog.open(file);
    expect(again.logged).toEqual(reopened.logged);
    again.log.clear();
    again.log.append(choice(4), noWrap);
    again.log.close();
    expect(ChoiceLog.open(file).logged.map((c) => c.sid)).toEqual(['CA4']);
  });

  it('makes the commits so far durable before it writes over its oldest records, and keeps the newest', () => {
    const { log } = ChoiceLog.open(file);
    const beforeWrap = vi.fn();
    let n = 0;
    while (beforeWrap.mock.calls.length === 0) log.append(choice(++n, 'z'.repeat(200)), beforeWrap);
    const wrappedAt = n;
    for (let k = 0; k < 10; k++) log.append(choice(++n, 'z'.repeat(200)), beforeWrap);
    expect(beforeWrap).toHaveBeenCalledTimes(1);
    expect(wrappedAt).toBeGreaterThan(800); // ~270 bytes each, 14 to a 4 KB block, 64 blocks
    log.close();
    const sids = ChoiceLog.open(file).logged.map((c) => c.sid);
    // Every record since the wrap; older ones still intact further on are read too (replay skips them: their wrap-ups changed since).
    expect(sids.slice(-11)).toEqual(Array.from({ length: 11 }, (_, k) => `CA${wrappedAt + k}`));
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('refuses a record larger than the whole log, and an append after close', () => {
    const { log } = ChoiceLog.open(file);
    expect(() => log.append({ ...choice(1), sid: 'CA'.repeat(200_000) }, noWrap)).toThrow(/does not fit/);
    log.close();
    expect(() => log.append(choice(2), noWrap)).toThrow(/closed/);
  });

  it('cannot open where the file cannot be (a folder in its place): the cache then syncs its own commits', () => {
    mkdirSync(file);
    expect(() => ChoiceLog.open(file)).toThrow();
  });
});
