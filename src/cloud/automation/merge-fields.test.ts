import { describe, expect, it } from 'vitest';
import { renderTemplate, templateProblem } from './merge-fields';

const data = { contact: { first_name: 'Ana', name: 'Ana <b>Díaz</b>' }, custom: { link: 'https://x.example/?a=1&b=2' }, appointment: undefined };

describe('merge fields', () => {
  it('fills fields; plain text leaves values as they are, html escapes them', () => {
    expect(renderTemplate('Hi {{contact.first_name}}!', data)).toBe('Hi Ana!');
    expect(renderTemplate('{{contact.name}} {{custom.link}}', data)).toBe('Ana <b>Díaz</b> https://x.example/?a=1&b=2');
    expect(renderTemplate('<p>{{contact.name}}</p>', data, { html: true })).toBe('<p>Ana &lt;b&gt;Díaz&lt;/b&gt;</p>');
  });
  it('renders blank where the trigger supplies nothing, and says which', () => {
    const blank = new Set<string>();
    expect(renderTemplate('Your visit: {{appointment.start_time}} with {{user.name}}, {{contact.first_name}}', data, { blank })).toBe('Your visit:  with , Ana');
    expect([...blank]).toEqual(['appointment.start_time', 'user.name']);
  });
  it('reads paths in helpers too, and refuses prototype access', () => {
    const blank = new Set<string>();
    expect(renderTemplate('{{#if appointment.start_time}}at {{appointment.start_time}}{{else}}soon{{/if}}', data, { blank })).toBe('soon');
    expect(blank.has('appointment.start_time')).toBe(true);
    expect(renderTemplate('{{contact.constructor}}{{__proto__}}', data)).toBe('');
  });
  it('reports templates that do not parse', () => {
    expect(templateProblem('Hi {{contact.first_name}')).toMatch(/cannot be read/);
    expect(templateProblem('Hi {{contact.first_name}}')).toBeNull();
    expect(templateProblem('{{#unknownHelper x}}y{{/unknownHelper}}')).toBeNull();
  });
});
