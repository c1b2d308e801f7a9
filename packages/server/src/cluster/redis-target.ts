import { REDIS_DEFAULT_PORT } from '../defaults.js';
import { ConfigError } from '../errors.js';

/**
 * What REDIS_URL names: one Redis (`redis://` or `rediss://`, given to ioredis as is) or a
 * Redis Cluster, `redis+cluster://[user:password@]host1:port1,host2:port2` (`rediss+cluster://`
 * for TLS): a few seed nodes, from which the client discovers the rest.
 */
export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

const CLUSTER_SCHEME = /^rediss?\+cluster:\/\//;
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)\/?$/;
const SEED = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** Parses REDIS_URL; a malformed cluster URL is a ConfigError saying what is wrong. */
export function parseRedisTarget(url: string): RedisTarget {
  if (!CLUSTER_SCHEME.test(url)) return { kind: 'standalone', url };
  const m = CLUSTER_URL.exec(url);
  if (!m) throw new ConfigError('REDIS_URL: a Redis Cluster is named redis+cluster://[user:password@]host1:port1,host2:port2');
  const [, scheme, userinfo, hosts] = m;
  return { kind: 'cluster', nodes: hosts.split(',').map(seed), tls: scheme === 'rediss', ...credentials(userinfo) };
}

function seed(text: string): { host: string; port: number } {
  const m = SEED.exec(text.trim());
  const port = Number(m?.[2] ?? REDIS_DEFAULT_PORT);
  if (!m || port < 1 || port > 65_535) throw new ConfigError(`REDIS_URL: "${text}" is not a host:port seed node`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function credentials(userinfo: string | undefined): { username?: string; password?: string } {
  if (userinfo === undefined) return {};
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}
