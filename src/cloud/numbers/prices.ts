import type { NumberPrice, NumberType } from '../../shared/cloud/numbers';
import type { Queryable } from '../db';
import { PRICE_COLUMNS, toNumberPrice } from './rows';

/** The platform's price table (number_prices): what a number of a country and type costs. */
export async function listPrices(q: Queryable): Promise<NumberPrice[]> {
  return (await q.query(`SELECT ${PRICE_COLUMNS} FROM number_prices ORDER BY country, number_type`)).map(toNumberPrice);
}

export async function priceFor(q: Queryable, country: string, type: NumberType): Promise<NumberPrice | null> {
  const rows = await q.query(`SELECT ${PRICE_COLUMNS} FROM number_prices WHERE country = $1 AND number_type = $2`, [country, type]);
  return rows[0] ? toNumberPrice(rows[0]) : null;
}

/** The operator sets a price (npm run cloud:prices). Amounts in millionths of the currency. */
export async function setPrice(
  q: Queryable,
  p: { country: string; numberType: NumberType; currency: string; monthlyFeeMicros: number; inboundPerMinuteMicros: number; outboundPerMinuteMicros: number },
): Promise<NumberPrice> {
  const rows = await q.query(
    `INSERT INTO number_prices (country, number_type, currency, monthly_fee_micros, inbound_per_minute_micros, outbound_per_minute_micros, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (country, number_type) DO UPDATE SET currency = EXCLUDED.currency, monthly_fee_micros = EXCLUDED.monthly_fee_micros,
       inbound_per_minute_micros = EXCLUDED.inbound_per_minute_micros, outbound_per_minute_micros = EXCLUDED.outbound_per_minute_micros, updated_at = now()
     RETURNING ${PRICE_COLUMNS}`,
    [p.country, p.numberType, p.currency, p.monthlyFeeMicros, p.inboundPerMinuteMicros, p.outboundPerMinuteMicros],
  );
  return toNumberPrice(rows[0]!);
}

/** The country the practice is in: numbers elsewhere are international (requested from support). */
export async function accountCountry(q: Queryable, accountId: string): Promise<string> {
  const rows = await q.query<{ country: string }>(`SELECT country FROM accounts WHERE id = $1`, [accountId]);
  return rows[0]?.country ?? 'US';
}
