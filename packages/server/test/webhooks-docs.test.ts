import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@tiktool/testkit';
import type { Gateway } from '../src/index.js';
import { startTestGateway } from './helpers.js';
import { api } from './webhook-api.js';
import { WebhookReceiver, type Received } from './webhook-receiver.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const doc = readFileSync(join(ROOT, 'docs/webhooks.md'), 'utf8');

/** The code block of the docs' section with this heading. */
function snippet(heading: string, lang: string): string {
  const from = doc.indexOf(`### ${heading}\n`);
  assert.ok(from >= 0, `docs/webhooks.md has a "${heading}" section`);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc.slice(from));
  assert.ok(m, `a ${lang} block under ${heading}`);
  return m[1]!;
}

type Verify = (raw: string, header: string, secret: string) => boolean;

function python(code: string, raw: string, header: string, secret: string): Promise<string> {
  const call = `${code}\nimport sys\nprint(verify(sys.argv[1].encode(), sys.argv[2], sys.argv[3]))\n`;
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', call, raw, header, secret], { timeout: 15_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout.trim()),
    );
  });
}

describe("docs/webhooks.md's verifiers verify a real delivery", () => {
  let gateway: Gateway;
  let receiver: WebhookReceiver;
  let ping: Received;
  let secret: string;
  before(async () => {
    receiver = await WebhookReceiver.start();
    gateway = await startTestGateway({ webhookAllowPrivate: true });
    const created = await api(gateway, 'POST', '/v1/webhooks', { url: receiver.url(), creators: ['offline_docs'], events: ['gift'] });
    secret = created.body.secret as string;
    await api(gateway, 'POST', `/v1/webhooks/${created.body.id}/test`);
    await waitFor(() => receiver.received.length > 0, { what: 'the ping' });
    ping = receiver.received[0]!;
  });
  after(async () => {
    await gateway.close();
    await receiver.close();
  });

  it('the Node verifier, ten lines, accepts it and refuses a changed body, another secret and an old timestamp', async () => {
    const code = snippet('Node', 'js');
    assert.ok(code.trim().split('\n').length <= 10, 'ten lines at most');
    const file = join(mkdtempSync(join(tmpdir(), 'tiktool-docs-')), 'verify.mjs');
    writeFileSync(file, code);
    const { verify } = (await import(pathToFileURL(file).href)) as { verify: Verify };
    const header = String(ping.headers['x-tiktool-signature']);
    assert.equal(verify(ping.raw, header, secret), true);
    assert.equal(verify(ping.raw.replace('test', 'tost'), header, secret), false);
    assert.equal(verify(ping.raw, header, 'whsec_other'), false);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    assert.equal(verify(ping.raw, header.replace(`t=${t}`, `t=${t - 301}`), secret), false, 'outside the 300 s tolerance');
  });

  it('the Python verifier accepts it and refuses a changed body', async () => {
    const code = snippet('Python', 'python');
    const header = String(ping.headers['x-tiktool-signature']);
    assert.equal(await python(code, ping.raw, header, secret), 'True');
    assert.equal(await python(code, ping.raw.replace('test', 'tost'), header, secret), 'False');
  });
});
