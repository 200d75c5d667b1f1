// What the caller hears from a ConversationRelay agent: text tokens assembled into talk cycles
// (a cycle ends with `last: true`) and "spoken" as speech-like audio for the text's length, audio
// `play`s, and the welcome greeting — one at a time, in order. Interruptible speech stops when
// the caller talks or presses a key; a preemptible cycle gives way to the next one; tokens of an
// interrupted cycle that still arrive are dropped, as Twilio drops them.
import { silence, speechSource } from '../media/audio-source';
import type { SandboxContext } from '../context';
import type { FetchedMedia, HeardHandle, Party } from '../calls/party';
import { audioFetcherFor } from '../twiml/audio-fetch';
import { allows, type InputKinds } from './relay-messages';

export interface AgentUtterance {
  kind: 'greeting' | 'text' | 'play';
  text: string;
  url?: string;
  loop?: number;
  /** A text cycle is complete once its `last: true` token arrived; greetings and plays are complete at once. */
  done: boolean;
  interruptible: InputKinds;
  preemptible: boolean;
}

export interface SpokenResult {
  utterance: AgentUtterance;
  /** Played to its end, or cut short (interrupted / preempted / session over). */
  completed: boolean;
  /** What the caller actually heard of a text cycle before it was cut. */
  heardText: string;
  endedBy: 'end' | 'interrupt' | 'preempt' | 'stop' | 'error';
  media?: FetchedMedia;
}

interface Playing {
  utterance: AgentUtterance;
  startedAt: number;
  heard: HeardHandle;
  timer: NodeJS.Timeout | null;
  durationMs: number | null;
  media?: FetchedMedia;
}

export class AgentVoice {
  private current: Playing | null = null;
  private readonly queue: AgentUtterance[] = [];
  private discarding = false;
  private stopped = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly party: Party,
    private readonly onResult: (r: SpokenResult) => void,
    private readonly defaults: { interruptible: InputKinds; preemptible: boolean },
  ) {}

  get speaking(): boolean {
    return this.current !== null;
  }

  say(utterance: AgentUtterance): void {
    if (this.stopped) return;
    this.queue.push(utterance);
    this.next();
  }

  /** One text token from the application. */
  token(token: string, last: boolean, opts: { interruptible?: boolean | undefined; preemptible?: boolean | undefined }): void {
    if (this.stopped) return;
    if (this.discarding) {
      if (last) this.discarding = false;
      return;
    }
    let open = [this.current?.utterance, ...this.queue].find((u) => u?.kind === 'text' && !u.done);
    if (!open) {
      open = {
        kind: 'text',
        text: '',
        done: false,
        interruptible: opts.interruptible === undefined ? this.defaults.interruptible : opts.interruptible ? 'any' : 'none',
        preemptible: opts.preemptible ?? this.defaults.preemptible,
      };
      // A new talk cycle preempts a finished, preemptible one still being spoken.
      if (this.current?.utterance.done && this.current.utterance.preemptible) this.finish('preempt');
      this.queue.push(open);
    }
    open.text += token;
    if (last) open.done = true;
    if (this.current?.utterance === open) this.reschedule();
    else this.next();
  }

  /** The caller spoke or pressed a key: stops the current utterance if it lets that input interrupt it. */
  interrupt(input: 'speech' | 'dtmf'): { utteranceUntilInterrupt: string; durationUntilInterruptMs: number } | null {
    const playing = this.current;
    if (!playing || !allows(playing.utterance.interruptible, input)) return null;
    const elapsed = Date.now() - playing.startedAt;
    const heardText = this.heardSoFar(playing, elapsed);
    if (!playing.utterance.done) this.discarding = true;
    // Twilio discards what the agent had queued after the interrupted cycle too.
    this.queue.length = 0;
    // The transcript must record exactly what the interrupt message says was heard: computing it
    // again a moment later (a loaded machine) could land on the next word.
    this.finish('interrupt', heardText);
    return { utteranceUntilInterrupt: heardText, durationUntilInterruptMs: Math.round(elapsed / this.ctx.settings.timeScale) };
  }

  /** Whether the current utterance lets this input through as an interruption. */
  interruptibleBy(input: 'speech' | 'dtmf'): boolean {
    return this.current !== null && allows(this.current.utterance.interruptible, input);
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.current) this.finish('stop');
  }

  private next(): void {
    if (this.current || this.stopped) return;
    const utterance = this.queue.shift();
    if (!utterance) return;
    const heard = this.party.startHearing({ kind: utterance.kind === 'play' ? 'play' : 'agent', ...(utterance.url ? { url: utterance.url } : { text: utterance.text }) });
    this.current = { utterance, startedAt: Date.now(), heard, timer: null, durationMs: null };
    if (utterance.kind === 'play') void this.startPlay(this.current);
    else {
      this.party.hear(speechSource());
      this.reschedule();
    }
  }

  private async startPlay(playing: Playing): Promise<void> {
    const fetched = await audioFetcherFor(this.ctx).fetch(playing.utterance.url ?? '');
    if (this.current !== playing) return;
    if (!fetched.ok) {
      this.ctx.events.emitEvent('relay.warning', { code: fetched.code, message: fetched.reason });
      return this.finish('error');
    }
    playing.media = fetched.media;
    playing.heard.item.media = fetched.media;
    const loops = playing.utterance.loop === 0 ? 10 : Math.min(playing.utterance.loop ?? 1, 10);
    playing.durationMs = fetched.media.durationMs * loops;
    this.party.hear(fetched.source());
    this.reschedule();
  }

  private durationOf(playing: Playing): number | null {
    if (playing.utterance.kind === 'play') return playing.durationMs === null ? null : playing.durationMs * this.ctx.settings.timeScale;
    return Math.max(200, playing.utterance.text.length * this.ctx.settings.sayMsPerChar) * this.ctx.settings.timeScale;
  }

  /** Ends the utterance once its audio has played and (for text) its last token arrived. */
  private reschedule(): void {
    const playing = this.current;
    if (!playing) return;
    if (playing.timer) clearTimeout(playing.timer);
    playing.timer = null;
    const duration = this.durationOf(playing);
    if (duration === null) return;
    const remaining = playing.startedAt + duration - Date.now();
    if (remaining <= 0 && playing.utterance.done) return this.finish('end');
    if (remaining > 0) playing.timer = setTimeout(() => this.reschedule(), remaining);
    // Past its length but still waiting for tokens: the next token reschedules.
  }

  private heardSoFar(playing: Playing, elapsed: number): string {
    const text = playing.utterance.text;
    const perChar = this.ctx.settings.sayMsPerChar * this.ctx.settings.timeScale;
    const chars = perChar > 0 ? Math.floor(elapsed / perChar) : text.length;
    if (chars >= text.length) return text;
    const cut = text.slice(0, chars);
    const space = cut.lastIndexOf(' ');
    return (space > 0 ? cut.slice(0, space) : cut).trim();
  }

  private finish(endedBy: SpokenResult['endedBy'], heardAtCut?: string): void {
    const playing = this.current;
    if (!playing) return;
    if (playing.timer) clearTimeout(playing.timer);
    this.current = null;
    this.party.hear(silence);
    const completed = endedBy === 'end';
    const elapsed = Date.now() - playing.startedAt;
    const heardText = playing.utterance.kind === 'play' ? '' : completed ? playing.utterance.text : (heardAtCut ?? this.heardSoFar(playing, elapsed));
    if (playing.utterance.kind !== 'play') playing.heard.item.text = playing.utterance.text;
    playing.heard.end(completed);
    this.onResult({ utterance: playing.utterance, completed, heardText, endedBy, ...(playing.media ? { media: playing.media } : {}) });
    this.next();
  }
}
