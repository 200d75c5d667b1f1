import { formatPhone } from '../../lib/phone';

/** E.164 numbers as the cloud writes them into alert messages ("Missed call from +13105552007 on …"). */
const E164 = /\+[1-9]\d{7,14}/g;

/** The distinct numbers a text mentions. Pure. */
export function numbersIn(text: string): string[] {
  return [...new Set(text.match(E164) ?? [])];
}

/**
 * The text with each number replaced by the contact's name and the number as people write it
 * ("Jane Doe ((310) 555-2007)"), or just the formatted number when nobody has it. Pure.
 */
export function withNames(text: string, names: Readonly<Record<string, string | null>>): string {
  return text.replace(E164, (number) => {
    const name = names[number];
    const shown = formatPhone(number);
    return name ? `${name} (${shown})` : shown;
  });
}
