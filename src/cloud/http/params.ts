import { z } from 'zod';
import { cloudIdSchema } from '../../shared/cloud/ids';

/** `:id` in a route path: the shape of the ids the cloud hands out (never `..`, never encoded). */
export const idParams = z.object({ id: cloudIdSchema });
