import { WEBHOOK_PEAK_INTERVAL_MS } from '../defaults.js';

/**
 * A LIVE's peak viewer count, told at most once per WEBHOOK_PEAK_INTERVAL_MS: a higher
 * count within the interval is held until the next count after it. Times are the
 * events' own timestamps, so every node reading one stream decides alike.
 */
export class ViewerPeak {
  private peak = 0;
  private toldPeak = 0;
  private toldAt = Number.NEGATIVE_INFINITY;

  /** A new count; returns the peak to tell now (and the one told before), if any. */
  observe(viewerCount: number, at: number): { peak: number; previous: number } | undefined {
    this.peak = Math.max(this.peak, viewerCount);
    if (this.peak <= this.toldPeak || at - this.toldAt < WEBHOOK_PEAK_INTERVAL_MS) return undefined;
    const told = { peak: this.peak, previous: this.toldPeak };
    this.toldPeak = this.peak;
    this.toldAt = at;
    return told;
  }
}
