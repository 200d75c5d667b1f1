import type { Notice } from '../../shared/ipc';
import type { RendererEvents } from './renderer-events';

/**
 * Things main wants the receptionist to know that are not errors of a request: a settings file that
 * was recovered with defaults, a hotkey the OS refused, a native module that could not load.
 */
export class NoticeBoard {
  private readonly notices = new Map<string, Notice>();

  constructor(private readonly events: RendererEvents) {}

  post(notice: Notice): void {
    this.notices.set(notice.id, notice);
    this.events.emit('app.notice', notice);
  }

  list(): Notice[] {
    return [...this.notices.values()];
  }

  dismiss(id: string): boolean {
    return this.notices.delete(id);
  }
}
