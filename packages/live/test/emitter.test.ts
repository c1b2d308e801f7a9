import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypedEmitter } from '../src/emitter.js';

type Events = { tick: [n: number]; done: [] };

class Ticker extends TypedEmitter<Events> {
  readonly errors: unknown[] = [];
  tick(n: number): boolean {
    return this.emit('tick', n);
  }
  protected override onListenerError(error: unknown): void {
    this.errors.push(error);
  }
}

describe('typed emitter', () => {
  it('calls on listeners every time and once listeners once', () => {
    const ticker = new Ticker();
    const seen: string[] = [];
    ticker.on('tick', (n) => seen.push(`on${n}`));
    ticker.once('tick', (n) => seen.push(`once${n}`));
    ticker.tick(1);
    ticker.tick(2);
    assert.deepEqual(seen, ['on1', 'once1', 'on2']);
    assert.equal(ticker.listenerCount('tick'), 1);
  });

  it('removes on and once listeners with off', () => {
    const ticker = new Ticker();
    const listener = (): void => assert.fail('removed listener called');
    ticker.on('tick', listener).once('tick', listener).off('tick', listener).off('tick', listener);
    assert.equal(ticker.tick(1), false);
  });

  it('keeps calling listeners after one throws', () => {
    const ticker = new Ticker();
    let called = false;
    ticker.on('tick', () => {
      throw new Error('bug');
    });
    ticker.on('tick', () => (called = true));
    ticker.tick(1);
    assert.ok(called);
    assert.equal((ticker.errors[0] as Error).message, 'bug');
  });
});
