import { describe, expect, it } from 'vitest';
import { Listeners } from './listeners';

describe('Listeners', () => {
  it('tells every listener even when one throws, reports the error, and does not throw to the emitter', () => {
    const errors: unknown[] = [];
    const told: string[] = [];
    const listeners = new Listeners<string>((error) => errors.push(error));
    const bug = new Error('Choose a disposition first.');
    listeners.add((value) => told.push(`first ${value}`));
    listeners.add(() => {
      throw bug;
    });
    const remove = listeners.add((value) => told.push(`third ${value}`));
    expect(() => listeners.emit('calls')).not.toThrow();
    expect(told).toEqual(['first calls', 'third calls']);
    expect(errors).toEqual([bug]);
    remove();
    listeners.emit('tasks');
    expect(told).toEqual(['first calls', 'third calls', 'first tasks']);
  });
});
