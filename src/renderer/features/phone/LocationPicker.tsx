import { NONE } from '../../lib/none';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { usePhone } from './phone-store';

/** The location the receptionist works in (dispositions apply to its calls); shown only with more than one. */
export function LocationPicker() {
  const session = useSession((s) => s.session);
  const locations = usePractice((s) => s.directory?.locations ?? NONE);
  const selectedLocationId = usePhone((s) => s.selectedLocationId);
  const myLocations = session?.status === 'signed-in' ? locations.filter((l) => session.user.locationIds.includes(l.id)) : [];
  if (myLocations.length <= 1) return null;
  return (
    <select aria-label="Location" className="location" value={selectedLocationId ?? ''} onChange={(e) => usePhone.getState().selectLocation(e.target.value)}>
      {myLocations.map((l) => (
        <option key={l.id} value={l.id}>
          {l.name}
        </option>
      ))}
    </select>
  );
}
