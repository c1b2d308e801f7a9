/**
 * The outbound proxies from the environment: TIKTOOL_PROXY (one URL) and
 * TIKTOOL_PROXIES_FILE (one URL per line; blank lines and `#` comments skipped). Every
 * URL is checked at start; errors show it with its password masked.
 */

import { readFileSync } from 'node:fs';
import { UpstreamError, parseProxyUrl } from '@tiktool/webcast';
import { ConfigError } from '../errors.js';

function checked(raw: string, where: string): string {
  try {
    parseProxyUrl(raw);
  } catch (err) {
    if (err instanceof UpstreamError) throw new ConfigError(`${where}: ${err.message}`);
    throw err;
  }
  return raw.trim();
}

export function readProxies(proxy: string | undefined, file: string | undefined, names: { proxy: string; file: string }): string[] {
  const list: string[] = [];
  if (proxy) list.push(checked(proxy, names.proxy));
  if (!file) return list;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${names.file}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const url = line.trim();
    if (url !== '' && !url.startsWith('#')) list.push(checked(url, `${names.file} line ${i + 1}`));
  });
  if (list.length === 0) throw new ConfigError(`${names.file}: ${file} lists no proxy`);
  return list;
}
