import type { DirectoryView } from '../../shared/ipc/views';

/**
 * The zone a call's times are written in, the same wherever the call is shown (its History row, its
 * details, a caller's last call): its location's, else the practice's; undefined (the computer's)
 * while the directory is not known.
 */
export function callTimeZone(locationId: string | null, directory: DirectoryView | null): string | undefined {
  const location = locationId === null ? undefined : directory?.locations.find((l) => l.id === locationId);
  return location?.timezone ?? directory?.account?.timezone;
}
