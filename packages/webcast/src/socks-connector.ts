/**
 * An undici connector that opens each connection through a SOCKS5 proxy (the `socks`
 * package does the protocol), adding TLS for https origins. undici's own SOCKS5 agent is
 * still marked experimental, so fetch uses this instead.
 */

import { connect as tlsConnect } from 'node:tls';
import { SocksClient } from 'socks';
import type { buildConnector } from 'undici';

export function socksConnector(proxy: URL, timeoutMs: number): buildConnector.connector {
  return (opts, callback) => {
    const https = opts.protocol === 'https:';
    SocksClient.createConnection({
      proxy: {
        host: proxy.hostname,
        port: Number(proxy.port),
        type: 5,
        userId: proxy.username ? decodeURIComponent(proxy.username) : undefined,
        password: proxy.password ? decodeURIComponent(proxy.password) : undefined,
      },
      command: 'connect',
      destination: { host: opts.hostname, port: Number(opts.port) || (https ? 443 : 80) },
      timeout: timeoutMs,
    }).then(
      ({ socket }) => {
        if (!https) return callback(null, socket);
        const tls = tlsConnect({ socket, servername: opts.servername ?? opts.hostname, ALPNProtocols: ['http/1.1'] });
        tls.once('secureConnect', () => callback(null, tls));
        tls.once('error', (err) => callback(err, null));
      },
      (err: Error) => callback(err, null),
    );
  };
}
