import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventIterator } from '../src/event-iterator.js';

describe('event iterator', () => {
  it('hands values to waiting and later readers in order', async () => {
    const iterator = new EventIterator<number>(() => {});
    const first = iterator.next();
    iterator.push(1);
    iterator.push(2);
    iterator.push(3);
    assert.deepEqual(await first, { value: 1, done: false });
    assert.deepEqual(await iterator.next(), { value: 2, done: false });
    assert.deepEqual(await iterator.next(), { value: 3, done: false });
  });

  it('drains the buffer before ending', async () => {
    const iterator = new EventIterator<number>(() => {});
    for (let i = 0; i < 3000; i++) iterator.push(i);
    iterator.end();
    const seen: number[] = [];
    for await (const value of iterator) seen.push(value);
    assert.equal(seen.length, 3000);
    assert.equal(seen[2999], 2999);
  });

  it('throws its error once, after the buffer', async () => {
    const iterator = new EventIterator<number>(() => {});
    iterator.push(1);
    iterator.end(new Error('stopped'));
    iterator.push(2);
    assert.deepEqual(await iterator.next(), { value: 1, done: false });
    await assert.rejects(iterator.next(), /stopped/);
    assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  });

  it('calls back on return() and ignores later values', async () => {
    let returned = 0;
    const iterator = new EventIterator<number>(() => returned++);
    const waiting = iterator.next();
    await iterator.return();
    iterator.push(1);
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.deepEqual(await iterator.next(), { value: undefined, done: true });
    assert.equal(returned, 1);
  });
});
