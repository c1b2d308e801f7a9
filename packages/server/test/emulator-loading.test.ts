import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const INDEX = new URL('../src/index.js', import.meta.url).href;

/** A node that cannot resolve @tiktool/emulator, as if the package were not installed. */
function withoutEmulator(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tiktool-no-emulator-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
      if (specifier === '@tiktool/emulator') throw new Error('@tiktool/emulator is not installed');
      return next(specifier, context);
    }`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return ['--import', pathToFileURL(register).href];
}

/** Starts and stops a gateway in a child node; resolves with its exit code and output. */
function startIn(flags: string[], upstream: string): Promise<{ code: number; output: string }> {
  const script = `
    const { loadConfig, startGateway } = await import(${JSON.stringify(INDEX)});
    const overrides = { port: 0, host: '127.0.0.1', dbPath: ':memory:', logLevel: 'silent' };
    const config = loadConfig({}, { ...overrides, upstream: ${JSON.stringify(upstream)} });
    const gateway = await startGateway(config);
    await gateway.close();
    console.log('started');`;
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, '--input-type=module', '-e', script], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('the gateway loads the emulator only in emulator mode', () => {
  it('a gateway in front of TikTok starts without the emulator package', async () => {
    const { code, output } = await startIn(withoutEmulator(), 'webcast');
    assert.equal(code, 0, output);
    assert.match(output, /started/);
  });

  it('emulator mode does need it', async () => {
    const { code, output } = await startIn(withoutEmulator(), 'emulator');
    assert.notEqual(code, 0);
    assert.match(output, /@tiktool\/emulator is not installed/);
  });
});
