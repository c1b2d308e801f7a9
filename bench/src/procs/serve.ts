/** The child side of lib/child.ts: runs the commands the bench sends and answers each. */

type Command = (m: never) => unknown;

export function serve(commands: Record<string, Command>): void {
  process.on('message', (m: { id: number; cmd: string }) => {
    if (m.cmd.startsWith('probe.')) return;
    const fn = commands[m.cmd] as ((m: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!fn) throw new Error(`unknown command ${m.cmd}`);
        return fn(m);
      })
      .then(
        (value) => process.send!({ id: m.id, ok: true, value }),
        (err: unknown) => process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.stack : String(err) }),
      );
  });
  process.send!({ ready: 'serve' });
}
