import { closeSync, fdatasyncSync, openSync, readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { writeAll, writePrivateFile } from '../os/private-file';

/**
 * The durable point of a receptionist's wrap-up choice (a disposition picked or taken back, a
 * note), ahead of the cache's own commit.
 *
 * A choice is one small record written into this file and fdatasynced; then the cache commits it
 * without a sync of its own (its WAL frames are synced by the next synced write, a checkpoint, or
 * `beforeWrap`). Why a file of its own: the record overwrites blocks the file already has (it is
 * preallocated and written through once), so its fdatasync flushes those data blocks and no
 * metadata, the disk's floor; SQLite's commit appends a 4 KB page frame plus a header to the WAL,
 * two blocks, and its checks and transaction sit before the sync. At the next open, records whose
 * commit never reached the disk (a crash or power cut in between) are applied to their wrap-ups
 * again (`replayWrapupChoice`: only onto a wrap-up not changed since the record), then the file is
 * cleared.
 *
 * Layout: a fixed-size file of 4 KB blocks; records packed into a block, a record never crossing a
 * block boundary unless it is larger than one; each is MAGIC, payload length, the payload's CRC-32,
 * the JSON payload. When the next record does not fit before the end, `beforeWrap` makes every
 * commit so far durable and writing starts again at the top. Reading skips whatever does not check out (zeros, a
 * torn record, the tail of an older one) to the next block; an older record read back is harmless,
 * because replay never sets a wrap-up to a choice older than the one it holds.
 */
export const CHOICE_LOG_BYTES = 256 * 1024;
const BLOCK = 4096;
const MAGIC = 0x31435841; // "AXC1" read as a little-endian u32
const HEADER = 12; // magic u32, payload length u32, the payload's CRC-32

const seq = z.number().int().positive();
export const loggedChoiceSchema = z.object({
  seq,
  sid: z.string().min(1).max(64),
  dispositionId: z.string().min(1).max(64).nullable(),
  note: z.string().max(4000).nullable(),
  /** The cache's clock when chosen: the wrap-up's updated_at. */
  at: z.number().int().nonnegative(),
});
export type LoggedChoice = z.infer<typeof loggedChoiceSchema>;
/** A choice whose commit failed after its record was written (e.g. the disk is full): never replayed. */
const cancelSchema = z.object({ seq, cancels: seq });
const recordSchema = z.union([loggedChoiceSchema, cancelSchema]);

// A torn-write check, not a signature: zlib's native CRC-32, a few µs cold on the keystroke's path (a SHA-256 there measured ~15 µs).
const checksum = (payload: Buffer): number => crc32(payload);

/** The choice log beside the cache file. */
export const choiceLogFileFor = (file: string): string => file.replace(/(\.sqlite)?$/, '.choices.log');

export class ChoiceLog {
  private offset = 0;
  /** Records written since the file was last cleared. */
  private dirty = false;
  /** Where records are encoded: one buffer for the log's life (a record up to a block needs no new one). */
  private readonly scratch = { buffer: Buffer.alloc(BLOCK) };

  private constructor(
    readonly file: string,
    private fd: number | undefined,
    private nextSeq: number,
  ) {}

  /**
   * Opens the log (a missing or wrong-sized file is created afresh, full-size and synced, holding
   * the choices read from it) and returns the choices it holds, oldest first, without the cancelled
   * ones. The caller applies them and then calls `clear`. Throws when the file cannot be created or opened: the cache then makes
   * every choice durable with its own sync instead.
   */
  static open(file: string): { log: ChoiceLog; logged: LoggedChoice[] } {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const records = bytes ? readRecords(bytes) : [];
    const cancelled = new Set(records.flatMap((r) => ('cancels' in r ? [r.cancels] : [])));
    const logged = records
      .filter((r): r is LoggedChoice => !('cancels' in r) && !cancelled.has(r.seq))
      .sort((a, b) => a.seq - b.seq);
    // A new file, or one of another size (copied, truncated): a full-size one in its place, holding
    // the choices read from it, so they outlast a replay that fails now. All its blocks are written
    // (not sparse: a record then overwrites allocated blocks, with no metadata to sync), durably.
    if (bytes?.length !== CHOICE_LOG_BYTES) writePrivateFile(file, packed(logged), { durable: true });
    const fd = openSync(file, 'r+');
    const log = new ChoiceLog(file, fd, Math.max(0, ...records.map((r) => r.seq)) + 1);
    log.dirty = records.length > 0;
    return { log, logged };
  }

  /**
   * Writes the choice and fdatasyncs it: when this returns, the choice survives a crash or power cut.
   * `beforeWrap` runs first when the log has to start again from the top: it must make every choice
   * committed so far durable (the records it overwrites). Returns the record's number.
   */
  append(choice: Omit<LoggedChoice, 'seq'>, beforeWrap: () => void): number {
    const number = this.nextSeq++;
    this.write({ seq: number, sid: choice.sid, dispositionId: choice.dispositionId, note: choice.note, at: choice.at }, beforeWrap);
    return number;
  }

  /** The choice's commit failed after its record was written: it must not be replayed. */
  cancel(number: number, beforeWrap: () => void): void {
    this.write({ seq: this.nextSeq++, cancels: number }, beforeWrap);
  }

  /** Every record is applied and durable in the cache: the file goes back to zeros (synced). */
  clear(): void {
    if (!this.dirty) return;
    const fd = this.descriptor();
    writeAll(fd, Buffer.alloc(CHOICE_LOG_BYTES), 0);
    fdatasyncSync(fd);
    this.offset = 0;
    this.dirty = false;
  }

  /** Whether records were written since the last `clear`. */
  get hasRecords(): boolean {
    return this.dirty;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(record: z.infer<typeof recordSchema>, beforeWrap: () => void): void {
    const buffer = encode(record, this.scratch);
    let at = placeAfter(this.offset, buffer.length);
    if (at === undefined) {
      beforeWrap();
      at = 0;
    }
    const fd = this.descriptor();
    writeAll(fd, buffer, at);
    fdatasyncSync(fd);
    this.offset = at + buffer.length;
    this.dirty = true;
  }

  private descriptor(): number {
    if (this.fd === undefined) throw new Error('The choice log is closed');
    return this.fd;
  }
}

/**
 * A record as stored, encoded into `into` (grown when too small) and returned as a view of it: this
 * runs before the sync, on the keystroke's path, where a new buffer per record measured a quarter of
 * the encoding's time. The view is valid until the next record is encoded into the same buffer.
 */
function encode(record: z.infer<typeof recordSchema>, into: { buffer: Buffer }): Buffer {
  const json = JSON.stringify(record);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: with that much room, write() cannot truncate. Else
  // the exact size is counted (the longest note's record, ~12 KB, once), and a record too large for the log refused.
  if (into.buffer.length < HEADER + 3 * json.length) {
    const size = HEADER + Buffer.byteLength(json);
    if (size > CHOICE_LOG_BYTES) throw new Error(`A choice of ${size} bytes does not fit the choice log`);
    if (into.buffer.length < size) into.buffer = Buffer.alloc(size);
  }
  const buffer = into.buffer;
  const length = buffer.write(json, HEADER, 'utf8');
  buffer.writeUInt32LE(MAGIC, 0);
  buffer.writeUInt32LE(length, 4);
  buffer.writeUInt32LE(checksum(buffer.subarray(HEADER, HEADER + length)), 8);
  return buffer.subarray(0, HEADER + length);
}

/**
 * Where a record of `size` bytes goes when the last one ended at `offset`: within one block when it
 * fits in one (one block to sync), a larger record from the start of a block. Undefined: it does
 * not fit before the end, the log has to wrap.
 */
function placeAfter(offset: number, size: number): number | undefined {
  const roomInBlock = BLOCK - (offset % BLOCK);
  const at = size > roomInBlock && (size <= BLOCK || offset % BLOCK !== 0) ? offset + roomInBlock : offset;
  return at + size <= CHOICE_LOG_BYTES ? at : undefined;
}

/** A log's full contents holding these choices, packed from the top (any that do not fit are left out). */
function packed(choices: readonly LoggedChoice[]): Buffer {
  const contents = Buffer.alloc(CHOICE_LOG_BYTES);
  const scratch = { buffer: Buffer.alloc(BLOCK) };
  let offset = 0;
  for (const choice of choices) {
    const record = encode(choice, scratch);
    const at = placeAfter(offset, record.length);
    if (at === undefined) break;
    record.copy(contents, at);
    offset = at + record.length;
  }
  return contents;
}

/** The records in a log's bytes, in file order; anything that does not check out is skipped to the next block. */
function readRecords(bytes: Buffer): z.infer<typeof recordSchema>[] {
  const records: z.infer<typeof recordSchema>[] = [];
  let at = 0;
  while (at + HEADER <= bytes.length) {
    const record = recordAt(bytes, at);
    if (record) {
      records.push(record.value);
      at = record.end;
    } else at = (Math.floor(at / BLOCK) + 1) * BLOCK;
  }
  return records;
}

function recordAt(bytes: Buffer, at: number): { value: z.infer<typeof recordSchema>; end: number } | undefined {
  if (bytes.readUInt32LE(at) !== MAGIC) return undefined;
  const length = bytes.readUInt32LE(at + 4);
  const end = at + HEADER + length;
  if (end > bytes.length) return undefined;
  const payload = bytes.subarray(at + HEADER, end);
  if (checksum(payload) !== bytes.readUInt32LE(at + 8)) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(payload.toString('utf8')));
    return parsed.success ? { value: parsed.data, end } : undefined;
  } catch {
    return undefined;
  }
}
