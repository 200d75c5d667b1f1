import type { Migration } from './types';

/**
 * What an AI agent left on a call it answered (the cloud's `calls.agent_*`): summary, transcript
 * and the actions it took, as the wire's JSON (`Call['agent']`), for History's call details. Null
 * for every other call. Calls pulled before this version gain it when they next change.
 */
export const migration0220: Migration = {
  version: 220,
  name: 'agent-calls',
  up(db) {
    db.exec(`ALTER TABLE calls ADD COLUMN agent_json TEXT CHECK (agent_json IS NULL OR json_valid(agent_json));`);
  },
};
