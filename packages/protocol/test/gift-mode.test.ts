import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidParamError, formatConnectQuery, parseConnectParams } from '../src/index.js';

describe('the gifts connection parameter', () => {
  it('defaults to all, accepts final, and round-trips through the query', () => {
    assert.equal(parseConnectParams(new URLSearchParams('uniqueId=abc')).gifts, 'all');
    assert.equal(parseConnectParams(new URLSearchParams('uniqueId=abc&gifts=all')).gifts, 'all');
    const q = formatConnectQuery({ uniqueId: 'abc', gifts: 'final' });
    assert.equal(q.get('gifts'), 'final');
    assert.equal(parseConnectParams(q).gifts, 'final');
    assert.equal(formatConnectQuery({ uniqueId: 'abc', gifts: 'all' }).has('gifts'), false);
  });

  it('rejects anything else with 4400 naming the parameter', () => {
    assert.throws(
      () => parseConnectParams(new URLSearchParams('uniqueId=abc&gifts=once')),
      (e: unknown) => e instanceof InvalidParamError && e.param === 'gifts' && e.code === 'ERR_INVALID_PARAM',
    );
  });
});
