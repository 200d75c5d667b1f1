/** Where a disposition sits on the picker: keys 1…9, then 0. */
export const pickerKey = (index: number) => String((index + 1) % 10);

/** Maps a key (1…9, 0) to a disposition index, or -1. */
export const indexForKey = (key: string): number => (/^[0-9]$/.test(key) ? (Number(key) + 9) % 10 : -1);
