/**
 * The few pieces of the DNS wire format (RFC 1035) the stand-in needs: read a query's id, flags,
 * question and EDNS payload size; write an answer of TXT records (each value split into
 * character-strings of at most 255 bytes, as DNS providers store long DKIM keys), or an empty one
 * with a response code. Names in answers point back at the question (compression, RFC 1035 4.1.4).
 */

export const TYPE_TXT = 16;
export const TYPE_OPT = 41;
export const TYPE_ANY = 255;
export const RCODE = { noError: 0, formErr: 1, servFail: 2, nxDomain: 3, notImp: 4 } as const;

export interface DnsQuery {
  id: number;
  /** The query's opcode and RD bit, echoed in the answer. */
  flags: number;
  /** Lower case, no trailing dot. */
  name: string;
  type: number;
  klass: number;
  /** The question's bytes (name, type, class) as they came: copied into the answer. */
  question: Buffer;
  /** The largest UDP answer the asker takes (EDNS0), 512 without EDNS. */
  udpSize: number;
}

/** Reads a name at `offset` (queries carry no compression); null when malformed. */
function readName(buf: Buffer, offset: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    if (at >= buf.length) return null;
    const length = buf[at]!;
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: at + 1 };
    if (length > 63 || at + 1 + length > buf.length) return null;
    labels.push(buf.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
}

/** Parses a query with one question; null when it is not one (the stand-in answers FORMERR or drops it). */
export function parseQuery(buf: Buffer): DnsQuery | null {
  if (buf.length < 12) return null;
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) return null; // an answer, not a query
  if (buf.readUInt16BE(4) !== 1) return null;
  const name = readName(buf, 12);
  if (!name || name.end + 4 > buf.length) return null;
  const type = buf.readUInt16BE(name.end);
  const klass = buf.readUInt16BE(name.end + 2);
  let udpSize = 512;
  // The additional section: an OPT record's CLASS is the asker's UDP payload size.
  let at = name.end + 4;
  const skipRecords = buf.readUInt16BE(6) + buf.readUInt16BE(8);
  const additional = buf.readUInt16BE(10);
  for (let i = 0; i < skipRecords + additional && at < buf.length; i++) {
    const owner = buf[at] === 0 ? { end: at + 1 } : readName(buf, at);
    if (!owner || owner.end + 10 > buf.length) break;
    const rrType = buf.readUInt16BE(owner.end);
    const rdLength = buf.readUInt16BE(owner.end + 8);
    if (i >= skipRecords && rrType === TYPE_OPT) udpSize = Math.max(512, buf.readUInt16BE(owner.end + 2));
    at = owner.end + 10 + rdLength;
  }
  return { id: buf.readUInt16BE(0), flags, name: name.name, type, klass, question: buf.subarray(12, name.end + 4), udpSize };
}

/** A TXT value as character-strings of at most 255 bytes each. */
function txtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length || parts.length === 0; at += 255) {
    const piece = bytes.subarray(at, at + 255);
    parts.push(Buffer.from([piece.length]), piece);
  }
  return Buffer.concat(parts);
}

/** An answer to `query`: the TXT `values` (none: an empty answer) with `rcode`; TC set when told it was truncated. */
export function buildAnswer(query: DnsQuery, rcode: number, values: readonly string[], truncated = false): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  // QR, the query's opcode and RD, AA (the stand-in is the zone's authority), TC, RCODE.
  header.writeUInt16BE(0x8000 | (query.flags & 0x7900) | 0x0400 | (truncated ? 0x0200 : 0) | (rcode & 0xf), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(truncated ? 0 : values.length, 6);
  const answers = truncated
    ? []
    : values.map((value) => {
        const rdata = txtRdata(value);
        const fixed = Buffer.alloc(12);
        fixed.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
        fixed.writeUInt16BE(TYPE_TXT, 2);
        fixed.writeUInt16BE(1, 4); // IN
        fixed.writeUInt32BE(60, 6);
        fixed.writeUInt16BE(rdata.length, 10);
        return Buffer.concat([fixed, rdata]);
      });
  return Buffer.concat([header, query.question, ...answers]);
}
