// RFC 4733 telephone-event payload decoding. One key press is many packets sharing an RTP
// timestamp (plus up to three end-of-event repeats), so digits are de-duplicated by timestamp.

const EVENT_DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  digit: string;
  end: boolean;
  durationUnits: number;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const digit = EVENT_DIGITS[payload[0] ?? 255];
  if (!digit) return null;
  const flags = payload[1] ?? 0;
  return { digit, end: (flags & 0x80) !== 0, durationUnits: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0) };
}

/** Turns the packet stream of telephone events into one callback per key press. */
export class DtmfDetector {
  private lastTimestamp: number | null = null;

  constructor(private readonly onDigit: (digit: string) => void) {}

  handle(payload: Uint8Array, rtpTimestamp: number): void {
    const event = parseTelephoneEvent(payload);
    if (!event || rtpTimestamp === this.lastTimestamp) return;
    this.lastTimestamp = rtpTimestamp;
    this.onDigit(event.digit);
  }
}
