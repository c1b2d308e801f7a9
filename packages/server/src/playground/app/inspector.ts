import type { Envelope } from '@tiktool/live';

/** Shows one event exactly as it came off the wire. */
export class Inspector {
  constructor(
    private readonly caption: HTMLElement,
    private readonly json: HTMLElement,
  ) {}

  show(envelope: Envelope): void {
    this.caption.textContent = 'seq' in envelope ? `${envelope.event} · seq ${envelope.seq}` : envelope.event;
    this.json.textContent = JSON.stringify(envelope, null, 2);
  }

  /** Makes `target` show the envelope `current()` returns when clicked (nothing while undefined). */
  bind(target: HTMLElement, current: () => Envelope | undefined): void {
    target.classList.add('inspectable');
    target.title = 'click to see the event JSON';
    target.addEventListener('click', () => {
      const envelope = current();
      if (envelope) this.show(envelope);
    });
  }

  clear(): void {
    this.caption.textContent = 'Event JSON';
    this.json.textContent = 'Click any event to see its JSON.';
  }
}
