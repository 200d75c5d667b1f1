import { describe, expect, it } from 'vitest';
import { triggerLinkUrlProblem } from './trigger-link-url';
import { createTriggerLinkSchema, updateTriggerLinkSchema } from './trigger-links';

describe('trigger link destinations', () => {
  it.each([
    ['https://glowmedspa.example/book'],
    ['https://calendar.example.com/glow?service=consult&utm_source=sms#top'],
    ['  https://forms.example.org/intake  '],
  ])('accepts %s', (url) => {
    expect(triggerLinkUrlProblem(url)).toBeNull();
  });

  it.each([
    ['', /Enter the link/],
    ['javascript:alert(1)', /not javascript:/],
    ['JavaScript:alert(1)', /not javascript:/],
    ['data:text/html,<script>alert(1)</script>', /not data:/],
    ['file:///etc/passwd', /not file:/],
    ['http://glowmedspa.example/book', /Use the https:\/\/ address/],
    ['glowmedspa.example/book', /starting with https:\/\//],
    ['https:glowmedspa.example', /starting with https:\/\//],
    ['https://user:secret@glowmedspa.example/', /user name or password/],
    ['https://glow med spa.example/', /no spaces/],
    ['https://glowmedspa.example/\nx', /no spaces/],
    ['https://localhost/book', /full site name/],
    [`https://glowmedspa.example/${'a'.repeat(2048)}`, /at most 2,048/],
  ])('refuses %j', (url, why) => {
    expect(triggerLinkUrlProblem(url)).toMatch(why);
  });

  it('the wire schema stores the link as the browser is sent there, and refuses what the form refuses', () => {
    expect(createTriggerLinkSchema.parse({ name: ' Book ', url: ' https://Glow.example/Book Now'.replace(' Now', '%20now') })).toEqual({ name: 'Book', url: 'https://glow.example/Book%20now' });
    expect(createTriggerLinkSchema.parse({ name: 'Menu', url: 'https://glow.example/crème' }).url).toBe('https://glow.example/cr%C3%A8me');
    expect(createTriggerLinkSchema.safeParse({ name: 'Js', url: 'javascript:alert(1)' }).success).toBe(false);
    expect(createTriggerLinkSchema.safeParse({ name: 'Book', url: 'https://glow.example', key: 'mine' }).success).toBe(false);
    expect(updateTriggerLinkSchema.safeParse({}).success).toBe(false);
    expect(updateTriggerLinkSchema.parse({ name: 'New name' })).toEqual({ name: 'New name' });
  });
});
