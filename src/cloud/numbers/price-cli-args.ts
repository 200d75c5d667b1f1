import { numberTypeSchema, type NumberType } from '../../shared/cloud/numbers';

/**
 * `npm run cloud:prices` arguments, pure: `list`, or `set <COUNTRY> <local|toll-free|mobile>
 * --monthly 1.50 --inbound 0.0100 --outbound 0.0160 [--currency USD]`. Amounts are decimal
 * strings turned into millionths exactly (no floating point).
 */
export type PriceCommand =
  | { command: 'list' }
  | { command: 'set'; country: string; numberType: NumberType; currency: string; monthlyFeeMicros: number; inboundPerMinuteMicros: number; outboundPerMinuteMicros: number };

export class PriceArgsError extends Error {}

/** "1.5" → 1_500_000; at most six decimals; never negative. */
export function toMicros(text: string, what: string): number {
  const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new PriceArgsError(`${what} must be an amount like 1.50 (at most six decimals), not "${text}"`);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

export function parsePriceArgs(argv: readonly string[]): PriceCommand {
  const [command, ...rest] = argv;
  if (command === 'list' || command === undefined) return { command: 'list' };
  if (command !== 'set') throw new PriceArgsError(`Unknown command "${command}": use list or set`);
  const [country, type, ...flags] = rest;
  if (!country || !/^[A-Z]{2}$/.test(country)) throw new PriceArgsError('set needs a two-letter country code first, e.g. US');
  const numberType = numberTypeSchema.safeParse(type);
  if (!numberType.success) throw new PriceArgsError('set needs a number type after the country: local, toll-free or mobile');
  const values: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) {
    const flag = flags[i]!;
    const value = flags[i + 1];
    if (!['--monthly', '--inbound', '--outbound', '--currency'].includes(flag) || value === undefined) throw new PriceArgsError(`Unexpected "${flag}"`);
    values[flag.slice(2)] = value;
  }
  for (const required of ['monthly', 'inbound', 'outbound']) if (values[required] === undefined) throw new PriceArgsError(`--${required} is required`);
  const currency = values.currency ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw new PriceArgsError('--currency must be a three-letter code, e.g. USD');
  return {
    command: 'set',
    country,
    numberType: numberType.data,
    currency,
    monthlyFeeMicros: toMicros(values.monthly!, '--monthly'),
    inboundPerMinuteMicros: toMicros(values.inbound!, '--inbound'),
    outboundPerMinuteMicros: toMicros(values.outbound!, '--outbound'),
  };
}

/** 1_500_000 → "1.50"; 8_500 → "0.0085" (at least two decimals, no trailing zeros beyond). */
export function formatMicros(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${fraction}`;
}
