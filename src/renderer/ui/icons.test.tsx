import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MutedIcon, PhoneIcon, TagIcon, TrashIcon } from './icons';

describe('icons', () => {
  afterEach(cleanup);

  it.each([
    ['muted', MutedIcon],
    ['tag', TagIcon],
    ['bin', TrashIcon],
    ['phone', PhoneIcon],
  ])('the %s icon is drawn in the text colour, hidden from assistive tech and no tab stop', (_, Icon) => {
    const { container } = render(<Icon />);
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.getAttribute('focusable')).toBe('false');
    expect(svg.getAttribute('width')).toBe('1em');
    expect(svg.innerHTML).toContain('currentColor');
    // Drawn, not a character from a font the desktop may not have.
    expect(container.textContent).toBe('');
  });
});
