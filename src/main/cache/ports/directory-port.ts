import { z } from 'zod';
import type { CallCache } from '../cache-port';
import * as directory from '../directory';
import { validate } from '../errors';
import { entityIdSchema } from '../types';
import type { PortContext } from './context';

/** What the cloud's directory says, read-only here (pulls write it): dispositions, the account, locations, teams, users, numbers. */
export function createDirectoryPorts({ db }: PortContext): Pick<CallCache, 'dispositions' | 'directory'> {
  return {
    dispositions: {
      active: () => directory.activeDispositions(db),
      activeCount: () => directory.activeDispositionCount(db),
      all: () => directory.allDispositions(db),
      get: (id) => directory.dispositionById(db, validate(entityIdSchema, 'disposition id', id)),
    },
    directory: {
      account: () => directory.account(db),
      locations: () => directory.locations(db),
      teams: () => directory.teams(db),
      users: (options) => directory.users(db, options),
      user: (id) => directory.userById(db, validate(entityIdSchema, 'user id', id)),
      phoneNumbers: () => directory.phoneNumbers(db),
      phoneNumberByNumber: (e164) => directory.phoneNumberByNumber(db, validate(z.string().max(40), 'phone number', e164)),
    },
  };
}
