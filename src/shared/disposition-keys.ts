/**
 * Digits 1…9 then 0 pick dispositions 1…10, the same on the picker, in the admin list and on the
 * global hotkeys (modifier + digit).
 */
export const MAX_KEYED_DISPOSITIONS = 10;

/** The key for the disposition at `index` (0 → '1', 8 → '9', 9 → '0'). */
export const dispositionKey = (index: number): string => String((index + 1) % 10);

/** The disposition index a key picks, or -1 for any other key. */
export const dispositionIndexForKey = (key: string): number => (/^[0-9]$/.test(key) ? (Number(key) + 9) % 10 : -1);
