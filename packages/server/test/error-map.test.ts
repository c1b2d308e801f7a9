import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RoomLimitError } from '@tiktool/emulator';
import { TikTokLiveError } from '@tiktool/live';
import { InvalidParamError, TiktoolError } from '@tiktool/protocol';
import { UPSTREAM_ERROR_CODES, UpstreamError } from '@tiktool/webcast';
import { closeFor } from '../src/errors/error-map.js';
import { ConfigError, forbidden, rateLimited, unauthorized } from '../src/errors.js';

/** docs/upstream.md's error table: upstream error code -> the close code clients get. */
function documentedCloseCodes(): Map<string, number> {
  const doc = readFileSync(new URL('../../../../docs/upstream.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Errors'));
  const rows = new Map<string, number>();
  for (const m of section.slice(0, section.indexOf('\n\n', section.indexOf('|'))).matchAll(/^\| `([A-Z_]+)` \|.*\| (\d{4})[^|]*\|$/gm)) {
    rows.set(m[1]!, Number(m[2]));
  }
  return rows;
}

describe('one error model', () => {
  it('closes a socket for every upstream error with the code docs/upstream.md gives it', () => {
    const documented = documentedCloseCodes();
    for (const code of UPSTREAM_ERROR_CODES) {
      assert.equal(closeFor(new UpstreamError(code, 'why')).code, documented.get(code), code);
    }
    assert.equal(documented.size, UPSTREAM_ERROR_CODES.length);
  });

  it('closes rejected clients with 4400, 4401, 4403 and 4429, the message as the reason', () => {
    const closes = [new InvalidParamError('lastSeq', 'bad'), unauthorized('no key'), forbidden('not yours'), rateLimited('slow down')].map(
      closeFor,
    );
    assert.deepEqual(
      closes.map((c) => [c.code, c.reason, c.unexpected]),
      [
        [4400, 'bad', false],
        [4401, 'no key', false],
        [4403, 'not yours', false],
        [4429, 'slow down', false],
      ],
    );
  });

  it('closes with 1011 "internal error" for anything not meant for clients, without its message', () => {
    for (const err of [new Error('ENOENT /srv/secret'), new ConfigError('bad config'), 'thrown string']) {
      assert.deepEqual(closeFor(err), { code: 1011, reason: 'internal error', unexpected: true });
    }
  });

  it("gives every package's errors one base with a stable code", () => {
    const errors = [
      new InvalidParamError('uniqueId', 'x'),
      unauthorized('x'),
      new ConfigError('x'),
      new UpstreamError('NETWORK', 'x'),
      new TikTokLiveError('ERR_UNREACHABLE', 'x'),
      new RoomLimitError(1),
    ];
    assert.deepEqual(
      errors.map((e) => [e instanceof TiktoolError, e.name, e.code]),
      [
        [true, 'InvalidParamError', 'ERR_INVALID_PARAM'],
        [true, 'GatewayError', 'ERR_UNAUTHORIZED'],
        [true, 'ConfigError', 'ERR_CONFIG'],
        [true, 'UpstreamError', 'NETWORK'],
        [true, 'TikTokLiveError', 'ERR_UNREACHABLE'],
        [true, 'RoomLimitError', 'ERR_EMULATOR_ROOM_LIMIT'],
      ],
    );
  });
});
