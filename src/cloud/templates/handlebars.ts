import { createRequire } from 'node:module';
import type HandlebarsLib from 'handlebars';

const requireHere = createRequire(import.meta.url);
let loaded: typeof HandlebarsLib | undefined;

/**
 * handlebars, loaded on first use: ~50–70 ms of CPU to load that a start does not need (templates
 * render in automations, AI agents' actions and the merge-field check of a saved template).
 * Synchronous, so callers stay as they are.
 */
export const handlebars = (): typeof HandlebarsLib => (loaded ??= requireHere('handlebars') as typeof HandlebarsLib);
