import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidParamError, MAX_ROSTER_CREATORS, formatConnectQuery, parseConnectParams } from '../src/index.js';

const parse = (query: string) => parseConnectParams(new URLSearchParams(query));
const invalid = (param: string, pattern: RegExp) => (e: unknown) =>
  e instanceof InvalidParamError && e.param === param && pattern.test(e.message);

describe('roster connect parameters', () => {
  it('normalises uniqueIds, collapses duplicates and keeps their order', () => {
    const p = parse('uniqueIds=Bb,@aa,https://www.tiktok.com/@cc/live,bb');
    assert.deepEqual(p.uniqueIds, ['bb', 'aa', 'cc']);
    assert.equal(p.uniqueId, undefined);
    assert.equal(p.waitForLive, true);
  });

  it('accepts an empty roster', () => {
    assert.deepEqual(parse('uniqueIds=').uniqueIds, []);
  });

  it('rejects uniqueId with uniqueIds, lastSeq on a roster and lastSeqs on a single socket', () => {
    assert.throws(() => parse('uniqueIds=a1,b1&uniqueId=a1'), invalid('uniqueIds', /not both/));
    assert.throws(() => parse('uniqueIds=a1&lastSeq=3'), invalid('lastSeq', /lastSeqs/));
    assert.throws(() => parse('uniqueId=a1&lastSeqs=a1:3'), invalid('lastSeqs', /roster/));
  });

  it('rejects a bad name in the roster, and one roster too many', () => {
    assert.throws(() => parse('uniqueIds=ok,no!pe'), invalid('uniqueIds', /TikTok username/));
    const many = Array.from({ length: MAX_ROSTER_CREATORS + 1 }, (_, i) => `c${i}`).join(',');
    assert.throws(() => parse(`uniqueIds=${many}`), invalid('uniqueIds', /more than/));
  });

  it('parses lastSeqs per creator and rejects malformed pairs', () => {
    assert.deepEqual(
      [...parse('uniqueIds=a1,b1&lastSeqs=A1:120,b1:33').lastSeqs!],
      [
        ['a1', 120],
        ['b1', 33],
      ],
    );
    assert.throws(() => parse('uniqueIds=a1&lastSeqs=a1'), invalid('lastSeqs', /uniqueId:seq/));
    assert.throws(() => parse('uniqueIds=a1&lastSeqs=a1:-1'), invalid('lastSeqs', /non-negative/));
    assert.throws(() => parse('uniqueIds=a1&lastSeqs=a1:1,a1:2'), invalid('lastSeqs', /twice/));
  });

  it('takes waitForLive on a single socket', () => {
    assert.equal(parse('uniqueId=a1&waitForLive=1').waitForLive, true);
    assert.equal(parse('uniqueId=a1').waitForLive, false);
    assert.throws(() => parse('uniqueId=a1&waitForLive=yes'), invalid('waitForLive', /must be/));
  });

  it('round-trips a roster through formatConnectQuery', () => {
    const q = formatConnectQuery({ uniqueIds: ['a1', 'b1'], lastSeqs: new Map([['a1', 7]]), sessionId: 'abcdefgh1234', batch: true });
    const p = parseConnectParams(q);
    assert.deepEqual(p.uniqueIds, ['a1', 'b1']);
    assert.deepEqual([...p.lastSeqs!], [['a1', 7]]);
    assert.equal(p.sessionId, 'abcdefgh1234');
    assert.equal(formatConnectQuery({ uniqueId: 'a1', waitForLive: true }).get('waitForLive'), '1');
  });
});
