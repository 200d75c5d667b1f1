import { IpcFailure } from '../../../shared/ipc';
import { CloudError } from '../../cloud-client/cloud-client';

/** Cloud errors become bridge errors with the cloud's stable code and a message a person can act on. */
export async function viaCloud<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof CloudError) throw new IpcFailure(error.code, error.message);
    throw error;
  }
}
