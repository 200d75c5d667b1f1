import type { IpcResult, SessionStateView } from '../../../shared/ipc';
import { getBridge } from '../../bridge';
import { useSession } from '../../state/session';

/** Signs in against the cloud; the session shows at once (main also announces it). */
export async function signIn(email: string, password: string): Promise<IpcResult<SessionStateView>> {
  const result = await getBridge().session.signIn({ email, password });
  if (result.ok) useSession.getState().setSession(result.value);
  return result;
}
