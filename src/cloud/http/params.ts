import { z } from 'zod';

/** `:id` in a route path. */
export const idParams = z.object({ id: z.string().min(1).max(64) });
