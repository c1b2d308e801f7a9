import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CLOSE_REASON_BYTES, truncateReason } from '../src/index.js';

const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

describe('close reasons that do not fit a close frame', () => {
  it('are cut after the last whole word, with an ellipsis, within 123 bytes', () => {
    const words =
      'the sign provider answered HTTP 429 on every attempt; wait before connecting again or use a key with a higher limit please';
    const reason = `${words} ${words}`;
    const cut = truncateReason(reason);
    assert.ok(bytes(cut) <= MAX_CLOSE_REASON_BYTES);
    assert.ok(cut.endsWith('…'));
    const kept = cut.slice(0, -1);
    assert.ok(reason.startsWith(kept));
    assert.equal(reason[kept.length], ' ', `"${cut}" ends inside a word`);
  });

  it('keep multi-byte text whole, and leave short reasons alone', () => {
    const cut = truncateReason('é'.repeat(40) + ' ' + 'ü'.repeat(40));
    assert.equal(cut, `${'é'.repeat(40)}…`);
    assert.equal(truncateReason('stream ended'), 'stream ended');
    const oneWord = truncateReason('x'.repeat(300));
    assert.ok(bytes(oneWord) <= MAX_CLOSE_REASON_BYTES && oneWord.endsWith('…'));
  });
});
