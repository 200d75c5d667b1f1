export type { Row } from './database';

/** Column value → wire value; both drivers already return numbers, ISO strings and parsed JSON. */
export const text = (v: unknown): string => String(v);
export const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const int = (v: unknown): number => Number(v);
export const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const textArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
