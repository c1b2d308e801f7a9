/**
 * One way out to TikTok: directly, or through one outbound proxy. A route carries both
 * the fetch dispatcher for the HTTP calls and the agent for the push WebSocket, so the
 * two always leave through the same address (TikTok ties a signed connection to it).
 */

import type { Agent as HttpAgent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { createHttpClient, type HttpClient } from './http-client.js';
import type { ProxyUrl } from './proxy-url.js';
import { socksConnector } from './socks-connector.js';

export interface UpstreamRoute {
  /** "direct", or the proxy URL with its password masked. */
  readonly label: string;
  readonly http: HttpClient;
  /** The push socket's agent; undefined = a direct connection. */
  readonly wsAgent: HttpAgent | undefined;
  close(): Promise<void>;
}

function dispatcherFor(proxy: ProxyUrl, timeoutMs: number): Dispatcher {
  if (proxy.kind === 'http') return new ProxyAgent({ uri: proxy.url.toString(), proxyTunnel: true });
  return new Agent({ connect: socksConnector(proxy.url, timeoutMs) });
}

function wsAgentFor(proxy: ProxyUrl): HttpAgent {
  // HttpsProxyAgent tunnels with CONNECT whatever the target's scheme, ws:// included.
  if (proxy.kind === 'http') return new HttpsProxyAgent(proxy.url);
  // socks5h: the proxy resolves TikTok's names, as the fetch connector has it do too.
  const remoteDns = new URL(proxy.url);
  remoteDns.protocol = 'socks5h:';
  return new SocksProxyAgent(remoteDns);
}

export function directRoute(timeoutMs: number): UpstreamRoute {
  const dispatcher = new Agent();
  return {
    label: 'direct',
    http: createHttpClient(timeoutMs, dispatcher),
    wsAgent: undefined,
    close: () => dispatcher.close(),
  };
}

export function proxyRoute(proxy: ProxyUrl, timeoutMs: number): UpstreamRoute {
  const dispatcher = dispatcherFor(proxy, timeoutMs);
  const wsAgent = wsAgentFor(proxy);
  return {
    label: proxy.label,
    http: createHttpClient(timeoutMs, dispatcher),
    wsAgent,
    close: async () => {
      wsAgent.destroy();
      await dispatcher.close();
    },
  };
}
