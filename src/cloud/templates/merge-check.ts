import { handlebars } from './handlebars';
import { ApiError } from '../errors';

/**
 * A template's merge fields must parse before it is saved (a broken `{{contact.first_name` would
 * otherwise only fail when a workflow sends it). Refused as VALIDATION_FAILED naming the field.
 */
export function assertTemplatesParse(fields: Record<string, string | undefined>): void {
  const errors: { path: string; message: string }[] = [];
  for (const [path, value] of Object.entries(fields)) {
    if (!value || !value.includes('{{')) continue;
    try {
      handlebars().parse(value);
    } catch (error) {
      errors.push({ path, message: `The merge fields cannot be read: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (errors.length > 0) throw new ApiError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}
