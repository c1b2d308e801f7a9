import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLOSE_CODES,
  InvalidParamError,
  closeCodeInfo,
  formatConnectQuery,
  normaliseUniqueId,
  parseConnectParams,
  retryAfterSeconds,
  truncateReason,
} from '../src/index.js';

describe('connection parameters', () => {
  it('normalises @names and profile URLs to the lower-case username', () => {
    assert.equal(normaliseUniqueId('@Some.Creator_1'), 'some.creator_1');
    assert.equal(normaliseUniqueId('https://www.tiktok.com/@some.creator_1/live'), 'some.creator_1');
    assert.equal(normaliseUniqueId('tiktok.com/@abc?lang=en'), 'abc');
    assert.equal(normaliseUniqueId('  plain  '), 'plain');
  });

  it('rejects what cannot be a username with InvalidParamError for uniqueId', () => {
    for (const bad of [undefined, '', '@', 'a', 'spaces in it', 'x'.repeat(25), 'emoji😀']) {
      assert.throws(
        () => normaliseUniqueId(bad),
        (e: unknown) => e instanceof InvalidParamError && e.param === 'uniqueId' && e.code === 'ERR_INVALID_PARAM',
      );
    }
  });

  it('rejects malformed percent-encoding and impossible usernames as InvalidParamError', () => {
    const isUniqueIdError = (e: unknown) => e instanceof InvalidParamError && e.param === 'uniqueId' && e.code === 'ERR_INVALID_PARAM';
    for (const bad of ['tiktok.com/@%E0%A4%A', 'https://www.tiktok.com/@%zz/live', '..', '...', '._.', 'name.']) {
      assert.throws(() => normaliseUniqueId(bad), isUniqueIdError, bad);
    }
    assert.throws(() => normaliseUniqueId('tiktok.com/@%E0%A4%A'), /percent-encoding/);
    assert.equal(normaliseUniqueId('tiktok.com/@%61bc'), 'abc');
    assert.equal(normaliseUniqueId('.dot.inside'), '.dot.inside');
  });

  it('accepts batch as 0, 1, true or false only', () => {
    const batch = (v: string) => parseConnectParams(new URLSearchParams({ uniqueId: 'ab', batch: v })).batch;
    assert.equal(batch('1'), true);
    assert.equal(batch('true'), true);
    assert.equal(batch('0'), false);
    assert.equal(batch('false'), false);
    assert.equal(batch(''), false);
    for (const bad of ['2', 'yes', 'TRUE1']) {
      assert.throws(
        () => batch(bad),
        (e: unknown) => e instanceof InvalidParamError && e.param === 'batch' && /batch must be/.test(e.message),
        bad,
      );
    }
  });

  it('round-trips through formatConnectQuery and parseConnectParams', () => {
    const q = formatConnectQuery({
      uniqueId: 'creator',
      apiKey: 'k',
      sessionId: 'abcdefgh1234',
      lastSeq: 42,
      events: new Set(['chat', 'gift'] as const),
      batch: true,
    });
    const p = parseConnectParams(q);
    assert.equal(p.uniqueId, 'creator');
    assert.equal(p.apiKey, 'k');
    assert.equal(p.sessionId, 'abcdefgh1234');
    assert.equal(p.lastSeq, 42);
    assert.deepEqual([...p.events!], ['chat', 'gift']);
    assert.equal(p.batch, true);
  });

  it('rejects unknown events, a negative lastSeq and a malformed sessionId', () => {
    assert.throws(() => parseConnectParams(new URLSearchParams('uniqueId=ab&events=chat,nope')), /unknown event "nope"/);
    assert.throws(() => parseConnectParams(new URLSearchParams('uniqueId=ab&lastSeq=-1')), /lastSeq/);
    assert.throws(() => parseConnectParams(new URLSearchParams('uniqueId=ab&sessionId=%3Cx%3E')), /sessionId/);
  });
});

describe('close codes', () => {
  it('give each code of the brief its reconnect rule', () => {
    const rule = (code: number) => closeCodeInfo(code).reconnect;
    for (const c of [1000, 1008, 1009, 4005, 4400, 4401, 4403, 4404, 4409]) assert.equal(rule(c), 'none', String(c));
    for (const c of [1001, 1012, 4008, 4555]) assert.equal(rule(c), 'resume', String(c));
    for (const c of [1011, 1013, 4006, 4500]) assert.equal(rule(c), 'backoff', String(c));
    assert.equal(rule(4429), 'delay');
    assert.equal(rule(4999), 'none');
    assert.equal(new Set(CLOSE_CODES.map((c) => c.code)).size, CLOSE_CODES.length);
  });

  it('reads the delay of a 4429 reason and keeps reasons within 123 bytes', () => {
    assert.equal(retryAfterSeconds('too many connects per hour (60); retry after 42 s'), 42);
    assert.equal(retryAfterSeconds('no delay here'), undefined);
    const long = 'é'.repeat(100);
    assert.ok(new TextEncoder().encode(truncateReason(long)).byteLength <= 123);
  });
});
