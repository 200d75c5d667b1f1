// Twilio-shaped identifiers: a two-letter prefix and 32 hex digits.
import { randomBytes } from 'node:crypto';

export type SidPrefix = 'AC' | 'CA' | 'RE' | 'PN' | 'AP' | 'SM' | 'MM' | 'MG' | 'HX' | 'VX' | 'SK' | 'EV' | 'KX';

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}
