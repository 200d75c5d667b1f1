/**
 * One shared empty list for store selectors: `s.list ?? NONE` returns the same value every time,
 * where `?? []` would hand React a new array on each render and loop forever (React error #185).
 */
export const NONE: readonly never[] = Object.freeze([]);
