import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcResult } from '../../../../shared/ipc/result';

/**
 * What a settings screen shows from main: `read` answered on mount and whenever `key` changes (a
 * template's id, a link's id), again on `reload()` after a change. Only the newest answer is kept,
 * so a slow earlier one never overwrites it, nor lands after the component is gone.
 */
export function useLoaded<T>(read: () => Promise<IpcResult<T>>, key = ''): { value: T | null; failure: string | null; reload: () => Promise<void> } {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef(0);
  const reader = useRef(read);
  reader.current = read;
  const reload = useCallback(async () => {
    const asked = ++latest.current;
    const result = await reader.current();
    if (asked !== latest.current) return;
    if (result.ok) {
      setValue(result.value);
      setFailure(null);
    } else setFailure(result.error.message);
  }, []);
  useEffect(() => {
    void reload();
    return () => {
      latest.current += 1; // gone (or asking for another key): an answer still on its way is dropped
    };
  }, [reload, key]);
  return { value, failure, reload };
}
