/** Handovers still releasing their lease; a node shutting down waits for them. */
export class Handovers {
  private readonly pending = new Set<Promise<void>>();

  track(handover: Promise<void>): void {
    this.pending.add(handover);
    void handover.finally(() => this.pending.delete(handover));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
