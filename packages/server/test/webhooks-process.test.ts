import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@tiktool/testkit';
import { GatewayProcess } from './gateway-process.js';
import { TEST_KEY } from './helpers.js';
import { api } from './webhook-api.js';
import { WebhookReceiver, verifies } from './webhook-receiver.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

describe('webhooks across a gateway killed with kill -9, and the CLI', () => {
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  const nodes: GatewayProcess[] = [];
  before(async () => {
    receiver = await WebhookReceiver.start();
    env = {
      TIKTOOL_UPSTREAM: 'emulator',
      TIKTOOL_DB: join(mkdtempSync(join(tmpdir(), 'tiktool-webhooks-')), 'gateway.db'),
      TIKTOOL_BOOTSTRAP_KEY: TEST_KEY,
      TIKTOOL_WEBHOOK_ALLOW_PRIVATE: '1',
      // Long enough that the kill lands between attempts, not during one (whose lease would hold the row).
      TIKTOOL_WEBHOOK_RETRY_BASE_MS: '3000',
    };
  });
  after(async () => {
    for (const n of nodes) await n.kill();
    await receiver.close();
  });

  /** Runs the CLI on the gateway's database; resolves with its exit code and output. */
  function tiktool(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { timeout: 15_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('delivers every pending event after a restart, each id once to a receiver deduplicating by id, none lost', async () => {
    const first = await GatewayProcess.start(env);
    nodes.push(first);
    const base = `http://127.0.0.1:${first.port}`;
    receiver.answer = () => ({ status: 503 });
    const created = await api(base, 'POST', '/v1/webhooks', {
      url: receiver.url('/crash'),
      creators: ['offline_crashy'],
      events: ['gift'],
    });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await api(base, 'POST', `/v1/webhooks/${id}/test`)).body.eventId as string);
    // The first attempt failed and is recorded: the kill comes while its retry waits.
    await waitFor(
      async () => {
        const { body } = await api(base, 'GET', `/v1/webhooks/${id}/deliveries`);
        return (body.deliveries as { attempts: number; status: string }[]).some((d) => d.attempts === 1 && d.status === 'pending');
      },
      { what: 'a failed first attempt' },
    );
    assert.equal(await first.kill('SIGKILL'), null);
    nodes.splice(nodes.indexOf(first), 1);
    receiver.answer = () => ({ status: 204 });

    const second = await GatewayProcess.start(env);
    nodes.push(second);
    await waitFor(() => ids.every((e) => receiver.acceptedIds().includes(e)), { timeoutMs: 30_000, what: 'every event after the restart' });
    assert.deepEqual(
      receiver.acceptedIds().filter((e) => ids.includes(e)),
      ids,
      'every event, in order',
    );
    const secret = created.body.secret as string;
    assert.ok(receiver.received.every((r) => verifies(r, secret)));

    const listed = await tiktool(['webhooks', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}\\t\\S+\\t${receiver.url('/crash')}\\tgift\\toffline_crashy\\tenabled$`, 'm'));
    assert.ok(!listed.stdout.includes(secret), 'no secret in the list');
    const deliveries = await tiktool(['webhooks', 'deliveries', id, '--json']);
    const rows = JSON.parse(deliveries.stdout) as { eventId: string; status: string; responseCode: number }[];
    assert.deepEqual(
      rows.map((r) => [r.eventId, r.status, r.responseCode]).reverse(),
      ids.map((e) => [e, 'delivered', 204]),
    );
  });

  it('creates and deletes endpoints from the CLI, with clear errors', async () => {
    const keys = JSON.parse((await tiktool(['keys', 'list', '--json'])).stdout) as { id: string }[];
    const keyId = keys[0].id;
    const made = await tiktool([
      'webhooks',
      'create',
      '--key',
      keyId,
      '--url',
      receiver.url('/cli'),
      '--creators',
      'Cli_One,cli_two',
      '--events',
      'live.start,gift',
      '--min-diamonds',
      '1000',
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^whsec_\S+\n$/);
    const hookId = /created (wh_\S+);/.exec(made.stderr)?.[1];
    assert.ok(hookId, made.stderr);
    const shown = JSON.parse((await tiktool(['webhooks', 'list', '--key', keyId, '--json'])).stdout) as {
      id: string;
      creators: string[];
      minDiamonds: number;
    }[];
    assert.deepEqual(
      shown.filter((w) => w.id === hookId).map((w) => [w.creators, w.minDiamonds]),
      [[['cli_one', 'cli_two'], 1000]],
    );
    const bad = await tiktool(['webhooks', 'create', '--key', keyId, '--url', receiver.url(), '--creators', 'xx', '--events', 'chat']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /events must list at least one of live\.start/);
    const noKey = await tiktool([
      'webhooks',
      'create',
      '--key',
      'key_nope',
      '--url',
      receiver.url(),
      '--creators',
      'x',
      '--events',
      'gift',
    ]);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /no active key with id key_nope/);
    assert.equal((await tiktool(['webhooks', 'delete', hookId])).code, 0);
    const again = await tiktool(['webhooks', 'delete', hookId]);
    assert.deepEqual([again.code, again.stderr.trim()], [1, `tiktool: no webhook with id ${hookId}`]);
    const none = await tiktool(['webhooks', 'list', '--key', 'key_nope']);
    assert.deepEqual([none.code, none.stdout, none.stderr.trim()], [0, '', 'no webhook endpoints for key key_nope']);
  });
});
