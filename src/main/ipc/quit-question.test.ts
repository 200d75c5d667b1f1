import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/testing/manual-clock';
import { QUIT_ANSWER_TIMEOUT_MS, QuitQuestion } from './quit-question';

function setup() {
  const clock = new ManualClock();
  const asked: string[] = [];
  const question = new QuitQuestion({ events: { emit: (_event, payload) => void asked.push((payload as { requestId: string }).requestId) }, clock });
  return { clock, asked, question };
}

describe('QuitQuestion: main asks the window what is unsaved before a quit', () => {
  it('asks with a fresh id; the answer to that id settles it (names once each)', async () => {
    const { question, asked, clock } = setup();
    const answer = question.ask();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(question.answer(asked[0]!, ['Call policy', 'Call policy'])).toBe(true);
    await expect(answer).resolves.toEqual(['Call policy']);
    expect(clock.pendingTimers).toEqual([]);
    // The next quit asks anew, with another id.
    void question.ask();
    expect(asked[1]).not.toBe(asked[0]);
  });

  it('ignores an answer to no open question (a made-up id, or one answered already)', async () => {
    const { question, asked } = setup();
    const answer = question.ask();
    expect(question.answer('6f1c1d52-3f2b-4c8e-9d7a-1b2c3d4e5f60', [])).toBe(false);
    expect(question.answer(asked[0]!, [])).toBe(true);
    expect(question.answer(asked[0]!, ['Call policy'])).toBe(false);
    await expect(answer).resolves.toEqual([]);
  });

  it('a window that does not answer within the timeout reads as null, and its late answer is ignored', async () => {
    const { question, asked, clock } = setup();
    const answer = question.ask();
    clock.advance(QUIT_ANSWER_TIMEOUT_MS - 1);
    let settled = false;
    void answer.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1);
    await expect(answer).resolves.toBeNull();
    expect(question.answer(asked[0]!, ['Call policy'])).toBe(false);
  });

  it('a second ask while one is open shares it: one event, one answer', async () => {
    const { question, asked } = setup();
    const first = question.ask();
    const second = question.ask();
    expect(asked).toHaveLength(1);
    question.answer(asked[0]!, ['Call policy']);
    await expect(Promise.all([first, second])).resolves.toEqual([['Call policy'], ['Call policy']]);
  });
});
