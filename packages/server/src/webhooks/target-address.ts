import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { GatewayError, type GatewayErrorCode } from '../errors.js';

/** A webhook URL that may not be called: not https, or an address that is not public. */
export class WebhookTargetError extends GatewayError<GatewayErrorCode> {
  override name = 'WebhookTargetError';
  constructor(message: string) {
    super('ERR_WEBHOOK_TARGET', message);
  }
}

/**
 * Addresses a webhook must not reach: private, loopback, link-local (cloud metadata,
 * 169.254.169.254 and fd00:ec2::254, among them), carrier NAT, documentation, multicast
 * and reserved ranges.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Whether an IP address is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const mapped = V4_MAPPED.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL a webhook may be created with: https (or, allowing private targets, http), no credentials. */
export function parseTargetUrl(raw: unknown, allowPrivate: boolean): URL {
  if (typeof raw !== 'string' || raw.length > 2048) throw new WebhookTargetError('url must be a string of at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('url is not a valid URL');
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new WebhookTargetError('url must be https://');
  if (url.username || url.password) throw new WebhookTargetError('url may not hold credentials');
  return url;
}

/** The addresses a URL's host resolves to (itself, for an IP literal). */
async function resolve(hostname: string): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  return new Promise((ok, fail) =>
    dnsLookup(host, { all: true }, (err, addresses) =>
      err ? fail(new WebhookTargetError(`cannot resolve ${host}: ${err.code}`)) : ok(addresses),
    ),
  );
}

/** Refuses a target whose host resolves to any address that is not public. */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const addresses = await resolve(url.hostname);
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) throw new WebhookTargetError(`url resolves to ${bad.address}, which is not a public address`);
}

/**
 * A lookup for the connection itself: resolves, checks, and hands the socket only the
 * addresses it checked. The address connected to is the one checked (no second, rebound
 * DNS answer in between).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  resolve(hostname).then(
    (addresses) => {
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new WebhookTargetError(`${hostname} resolves to ${bad.address}, which is not a public address`), '', 0);
      const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
      if (wanted.length === 0) return callback(new WebhookTargetError(`${hostname} has no address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
      callback(null, wanted[0].address, wanted[0].family);
    },
    (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
  );
};
