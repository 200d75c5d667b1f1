import { z } from 'zod';

/**
 * The shape of every id the cloud hands out (`call_3f2a…`, `usr_demo_jordan`) and so of every id
 * that may stand in a URL path: letters, digits, `_` and `-`. A dot, a slash, `%`, `?` or `#` can
 * never be one, so an id can never be `..` or smuggle in another path or query. The cloud's route
 * table checks `:id` against it; the desktop's cloud client checks every path segment it sends.
 */
export const CLOUD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const cloudIdSchema = z.string().regex(CLOUD_ID_PATTERN, 'Not a valid id');
