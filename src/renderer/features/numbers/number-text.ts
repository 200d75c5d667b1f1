import type { DeletedNumber, Money, NumberCapabilities, NumberPrice, NumberType, UnconfirmedPurchase } from '../../../shared/cloud/numbers';

/**
 * Words for the numbers screens, pure: prices from millionths (exactly, no floating point),
 * capabilities, types and the restore window.
 */

const SYMBOLS: Record<string, string> = { USD: '$', CAD: 'CA$', GBP: '£', EUR: '€', AUD: 'A$' };

/** 1_500_000 USD → "$1.50"; per-minute rates keep their four decimals: 8_500 → "$0.0085". */
export function formatMoney(money: Money): string {
  const whole = Math.floor(money.micros / 1_000_000);
  const fraction = String(money.micros % 1_000_000).padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  const symbol = SYMBOLS[money.currency];
  return symbol ? `${symbol}${whole}.${fraction}` : `${whole}.${fraction} ${money.currency}`;
}

/** "$1.15/month · $0.0085/min in · $0.014/min out". */
export function priceSummary(price: NumberPrice): string {
  return `${formatMoney(price.monthlyFee)}/month · ${formatMoney(price.inboundPerMinute)}/min in · ${formatMoney(price.outboundPerMinute)}/min out`;
}

export const TYPE_LABELS: Record<NumberType, string> = { local: 'Local', 'toll-free': 'Toll-Free', mobile: 'Mobile' };

/** "Voice, SMS, MMS" (fax is not something a front desk buys for); "None" when it has none. */
export function capabilitiesText(c: NumberCapabilities): string {
  const list = [c.voice && 'Voice', c.sms && 'SMS', c.mms && 'MMS'].filter(Boolean);
  return list.length ? list.join(', ') : 'None';
}

/** What the deleted-numbers list says about the restore window. */
export function restoreWindowText(n: DeletedNumber): string {
  if (n.status === 'released') return 'Released to the carrier — cannot be restored here';
  if (!n.daysLeft) return 'Restore window over — being released';
  return n.daysLeft === 1 ? 'Last day to restore' : `${n.daysLeft} days left to restore`;
}

/** What became of a purchase Twilio did not confirm (the cloud checks with Twilio again a few minutes later). */
export function unconfirmedText(p: UnconfirmedPurchase): string {
  if (p.landedLate) {
    return 'Twilio completed this purchase after it had been reported as not bought. It was not added to your numbers and was given back to Twilio, so nothing was charged. Buy it again if you still want it.';
  }
  switch (p.state) {
    case 'checking':
      return 'Twilio did not answer when it was bought. Aesthetix is asking Twilio again: if Twilio has it, it is added to your numbers and billed; if not, nothing is bought or charged.';
    case 'added':
      return 'Twilio had bought it after all: added to your numbers and billed.';
    case 'not_bought':
      return 'Not bought: Twilio does not have it. Nothing was charged.';
    case 'not_added':
      return 'Twilio had it, but it could not be added to your numbers. Nothing was charged; buy it again, or ask Aesthetix support.';
  }
}
