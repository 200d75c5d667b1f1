import type Handlebars from 'handlebars';
import { handlebars } from '../templates/handlebars';

/**
 * Merge fields (`{{contact.first_name}}`, `{{appointment.start_time}}`, custom values, inbound
 * webhook fields) rendered with handlebars in an isolated environment: only the built-in helpers,
 * no prototype access. Plain text leaves values as they are; `html` escapes them (email bodies).
 * A field the trigger or the contact record does not supply renders blank, and is reported so the
 * execution log can say which ones were blank.
 */
export type MergeData = Record<string, Record<string, unknown> | undefined>;

let isolated: typeof Handlebars | undefined;
/** The isolated environment, made on the first template (handlebars loads then). */
const hbs = (): typeof Handlebars => (isolated ??= handlebars().create());
const compiled = new Map<string, { text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; paths: string[] }>();
const MAX_CACHED = 2000;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Node = { type: string; path?: { type: string; original: string }; params?: Node[]; program?: { body: Node[] }; inverse?: { body: Node[] }; original?: string };

/** Every data path a template reads (mustaches and helper arguments), in order, once each. */
function pathsOf(body: Node[], into: Set<string>): void {
  for (const node of body) {
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
      const isHelper = (node.params?.length ?? 0) > 0 || node.type === 'BlockStatement';
      if (!isHelper && node.path?.type === 'PathExpression') into.add(node.path.original);
      for (const param of node.params ?? []) if (param.type === 'PathExpression' && param.original) into.add(param.original);
      if (node.program) pathsOf(node.program.body, into);
      if (node.inverse) pathsOf(node.inverse.body, into);
    }
  }
}

function compile(template: string) {
  let entry = compiled.get(template);
  if (entry) return entry;
  let ast: { body: Node[] };
  try {
    ast = hbs().parse(template) as unknown as { body: Node[] };
  } catch (error) {
    throw new TemplateError(`The template cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  const paths = new Set<string>();
  pathsOf(ast.body, paths);
  const options = { knownHelpersOnly: true, strict: false, preventIndent: true };
  entry = {
    text: hbs().compile(template, { ...options, noEscape: true }),
    html: hbs().compile(template, { ...options, noEscape: false }),
    paths: [...paths],
  };
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(template, entry);
  return entry;
}

export function lookup(data: MergeData, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Renders `template`; `blank` collects the paths that rendered empty. */
export function renderTemplate(template: string, data: MergeData, options: { html?: boolean; blank?: Set<string> } = {}): string {
  if (!template.includes('{{')) return template;
  const entry = compile(template);
  for (const path of entry.paths) if (isBlank(lookup(data, path))) options.blank?.add(path);
  const render = options.html ? entry.html : entry.text;
  try {
    return render(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (error) {
    throw new TemplateError(`The template cannot be rendered: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Checks a template parses (for saving documents); returns the problem or null. */
export function templateProblem(template: string): string | null {
  try {
    compile(template);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
