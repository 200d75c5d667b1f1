// One 20 ms ticker for every far end: 20 concurrent calls cost one timer, not twenty.

export interface Ticking {
  tick(): void;
}

export class MediaClock {
  private readonly members = new Set<Ticking>();
  private timer: NodeJS.Timeout | null = null;

  add(member: Ticking): void {
    this.members.add(member);
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const m of this.members) m.tick();
    }, 20);
    // Media alone never keeps a process alive; sockets and servers do.
    this.timer.unref();
  }

  remove(member: Ticking): void {
    this.members.delete(member);
    if (this.members.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
