import { IpcFailure } from '../../shared/ipc';
import { CloudError } from '../cloud-client/cloud-client';

/** Better words than the cloud's for failures a caller expects. */
export interface CloudFailureWords {
  /** The cloud could not be reached at all. */
  unreachable?: string;
  /** This cloud has no such route (a 404 that is not about a missing record): an older cloud. */
  notSupported?: string;
}

/**
 * Runs a cloud request for a renderer request: a CloudError becomes the bridge's IpcFailure with the
 * cloud's stable code and a message a person can act on. The one CloudError → IpcFailure mapping.
 */
export async function viaCloud<T>(operation: () => Promise<T>, words: CloudFailureWords = {}): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    if (words.notSupported && error.status === 404 && error.code !== 'NOT_FOUND') throw new IpcFailure('NOT_AVAILABLE', words.notSupported);
    if (words.unreachable && error.status === 0) throw new IpcFailure(error.code, words.unreachable);
    throw new IpcFailure(error.code, error.message);
  }
}
