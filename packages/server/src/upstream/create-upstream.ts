import { startEmulator, type Emulator } from '@tiktool/emulator';
import { createWebcastUpstream, type Upstream } from '@tiktool/webcast';
import type { GatewayConfig } from '../config.js';

export interface UpstreamHandle {
  upstream: Upstream;
  /** The in-process emulator, in emulator mode (tests drive its faults). */
  emulator?: Emulator;
}

/**
 * The upstream the config asks for. Emulator mode starts the emulator on loopback and
 * points the same WebCast client at it, so the offline demo runs the real protocol code.
 */
export async function createUpstream(config: GatewayConfig): Promise<UpstreamHandle> {
  if (config.upstream === 'emulator') {
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, rate: config.emulatorRate });
    const webcast = createWebcastUpstream(emulator.upstreamOptions());
    const upstream: Upstream = {
      connect: (uniqueId, sink, options) => webcast.connect(uniqueId, sink, options),
      close: async () => {
        await webcast.close();
        await emulator.close();
      },
    };
    return { upstream, emulator };
  }
  return { upstream: createWebcastUpstream(config.webcast) };
}
