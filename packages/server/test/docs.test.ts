import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RECONNECT, type ReconnectOptions, type TikTokLiveOptions } from '@tiktool/live';
import { CLOSE_CODES, type ReconnectRule } from '@tiktool/protocol';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every option of the SDK; the type below fails to compile when one is added and not listed. */
const SDK_OPTIONS = ['apiKey', 'jwtKey', 'url', 'events', 'batch', 'gifts', 'waitForLive', 'reconnect', 'WebSocket'] as const;
const listsEveryOption: Exclude<keyof TikTokLiveOptions, (typeof SDK_OPTIONS)[number]> extends never ? true : false = true;
void listsEveryOption;

/** The close-code table of a document: code -> the rule its "reconnect?" cell says. */
function closeCodeTable(doc: string): Map<number, ReconnectRule> {
  const text = read(doc);
  const section = text.slice(text.indexOf('## Close codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
  const rows = new Map<number, ReconnectRule>();
  for (const m of table.matchAll(/^\| ([\d /]+) \| [^|]+ \| ([^|]+) \|$/gm)) {
    const cell = m[2]!.trim();
    const rule: ReconnectRule = cell.startsWith('no')
      ? 'none'
      : cell.startsWith('after')
        ? 'delay'
        : cell === 'yes, resume'
          ? 'resume'
          : cell === 'yes, backoff'
            ? 'backoff'
            : assert.fail(`${doc}: "${cell}" is not a reconnect rule`);
    for (const code of m[1]!.split('/').map((c) => Number(c.trim()))) {
      assert.ok(!rows.has(code), `${doc} lists ${code} once`);
      rows.set(code, rule);
    }
  }
  return rows;
}

/** A service's block of compose.yaml (two-space indented name, until the next service). */
function composeService(compose: string, name: string): string {
  const m = new RegExp(`^  ${name}:\\n((?:(?: {4}.*)?\\n)+?)(?=^  \\S|^\\S)`, 'm').exec(compose);
  assert.ok(m, `compose.yaml has a service ${name}`);
  return m[1]!;
}

describe('the docs match the files', () => {
  for (const doc of ['README.md', 'docs/protocol.md']) {
    it(`${doc}'s close-code table gives every code of the contract with its reconnect rule`, () => {
      const table = closeCodeTable(doc);
      for (const { code, reconnect } of CLOSE_CODES) assert.equal(table.get(code), reconnect, `${doc}: ${code}`);
    });
  }

  it('docs/scaling.md describes compose.yaml as it is, and it can scale', () => {
    const compose = read('compose.yaml');
    const scaling = read('docs/scaling.md');
    const services = [...compose.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);
    assert.deepEqual(services.slice(0, 3).sort(), ['gateway', 'proxy', 'redis']);
    for (const service of services.slice(0, 3)) assert.ok(scaling.includes(`| \`${service}\` |`), `scaling.md describes ${service}`);

    const gateway = composeService(compose, 'gateway');
    assert.ok(!/^ {4}ports:/m.test(gateway), 'the gateway publishes no port of its own, so replicas do not collide');
    assert.match(gateway, /^ {6}REDIS_URL: redis:\/\/redis:6379$/m);
    assert.match(gateway, /^ {6}TIKTOOL_TRUST_PROXY: "1"$/m);

    const proxy = composeService(compose, 'proxy');
    const command = (JSON.parse(/^ {4}command: (.*)$/m.exec(proxy)![1]!) as string[]).join(' ');
    assert.ok(scaling.includes(`\`${command}\``), `scaling.md quotes the proxy's command: ${command}`);
    assert.match(proxy, /^ {6}- "127\.0\.0\.1:8080:8080"$/m);

    const redis = composeService(compose, 'redis');
    for (const flag of ['--appendonly yes', '--maxmemory-policy noeviction']) {
      const [name, value] = flag.split(' ');
      assert.match(redis, new RegExp(`"${name}", "${value}"`), `compose's redis has ${flag}`);
      assert.ok(scaling.includes(flag), `scaling.md says ${flag}`);
    }
    for (const doc of [compose, scaling, read('docs/deploy.md')]) assert.ok(doc.includes('docker compose up -d --scale gateway=3'));
  });

  it('docs/scaling.md says how clients see a Redis restart: the 1012 close of creator.ts', () => {
    const creator = read('packages/server/src/hub/creator.ts');
    const reason = /s\.end\(CloseCode\.SERVICE_RESTART, '([^']+)'\)/.exec(creator)?.[1];
    assert.ok(reason, 'resetStream closes with SERVICE_RESTART');
    const row = read('docs/scaling.md')
      .split('\n')
      .find((l) => l.startsWith('| Redis restarts without persistence |'));
    assert.ok(row?.includes(`closed with 1012 (\`${reason}\`)`), row);
    assert.match(row!, /recovered: false/);
  });

  it("the Dockerfile's usage comment runs the image as docs/deploy.md does", () => {
    const comment = read('Dockerfile')
      .split('\n')
      .filter((l) => l.startsWith('#   docker '))
      .map((l) => l.slice(4));
    const deploy = read('docs/deploy.md');
    assert.ok(comment.length >= 3);
    for (const command of comment) assert.ok(deploy.includes(`    ${command}\n`), `docs/deploy.md runs: ${command}`);
  });

  it('the README says what the Python example needs', () => {
    const readme = read('README.md');
    assert.match(readme, /`pip install websockets`/);
    assert.match(readme, /python3-websockets/);
  });

  it('the README documents every SDK option and reconnect setting with its default', () => {
    const readme = read('README.md');
    for (const option of SDK_OPTIONS) assert.ok(readme.includes(`| \`${option}\` |`), option);
    for (const [name, value] of Object.entries(DEFAULT_RECONNECT) as [keyof ReconnectOptions, number][]) {
      assert.ok(readme.includes(`| \`reconnect.${name}\` | \`${value}\` |`), `reconnect.${name} with its default ${value}`);
    }
  });

  it('the LICENSE the package.json files name is there', () => {
    const manifests = [
      'package.json',
      ...['testkit', 'protocol', 'webcast', 'emulator', 'live', 'server'].map((p) => `packages/${p}/package.json`),
    ];
    for (const manifest of manifests) assert.equal((JSON.parse(read(manifest)) as { license?: string }).license, 'MIT', manifest);
    const license = read('LICENSE');
    assert.match(license, /^MIT License\n/);
    assert.match(license, /Copyright \(c\) \d{4} tiktool contributors/);
  });
});
