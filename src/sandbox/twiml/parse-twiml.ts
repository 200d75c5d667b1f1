// TwiML text → a small verb tree. Unknown verbs are kept so the runner can report them.
import { XMLParser } from 'fast-xml-parser';

export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true });

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(entry: Ordered): TwimlNode | null {
  const name = Object.keys(entry).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '?xml') return null;
  const content = (entry[name] as Ordered[]) ?? [];
  const text = content.map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : '')).join('').trim();
  const children = content.map(toNode).filter((n): n is TwimlNode => n !== null);
  return { name, attrs: { ...(entry[':@'] ?? {}) }, text, children };
}

export function parseTwiml(xml: string): TwimlNode[] {
  const doc = parser.parse(xml) as Ordered[];
  const response = doc.map(toNode).find((n) => n?.name === 'Response');
  if (!response) throw new Error('TwiML has no <Response> root');
  return response.children;
}
