/** Outbound proxy URLs: which kinds are accepted, and how they appear in logs. */

import { UpstreamError } from './upstream.js';

export type ProxyKind = 'http' | 'socks';

const KINDS: Record<string, ProxyKind> = {
  'http:': 'http',
  'https:': 'http',
  'socks:': 'socks',
  'socks5:': 'socks',
  'socks5h:': 'socks',
};

export interface ProxyUrl {
  url: URL;
  kind: ProxyKind;
  /** The URL with its password masked: the only form that is logged or shown. */
  label: string;
}

/** user:secret@ -> user:***@ (and a bare secret@ -> ***@). */
export function maskProxyUrl(raw: string): string {
  return raw.replace(/(\/\/)([^@/]*)@/, (_m, slashes: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${slashes}${colon === -1 ? '***' : `${auth.slice(0, colon)}:***`}@`;
  });
}

export function parseProxyUrl(raw: string): ProxyUrl {
  const label = maskProxyUrl(raw.trim());
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UpstreamError('CONFIG', `proxy ${label} is not a URL`);
  }
  const kind = KINDS[url.protocol];
  if (!kind || url.hostname === '' || (url.port === '' && kind === 'socks')) {
    throw new UpstreamError('CONFIG', `proxy ${label}: expected http://, https:// or socks5://host:port`);
  }
  return { url, kind, label: maskProxyUrl(url.toString()).replace(/\/$/, '') };
}
