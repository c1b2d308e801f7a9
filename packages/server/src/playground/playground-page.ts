import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLAYGROUND_DEMO_CREATOR } from '../defaults.js';
import type { PageConfig } from './app/page-config.js';
import { ModuleDirectory, moduleFile, type ModuleFile } from './module-directory.js';
import { ASSET_PREFIX, renderPage } from './page-html.js';
import { PAGE_CSS } from './page-css.js';

export interface PlaygroundOptions {
  /** Put in the page: only ever the bootstrap key of a gateway running the emulator. */
  demoKey?: string;
}

export interface PlaygroundPage {
  /** Answers GET/HEAD of the page and its assets; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

const MODULE_PATH = new RegExp(`^/${ASSET_PREFIX}(app|lib/live|lib/protocol)/([^/]+)$`);

/** The directory of a package's main module: the SDK and protocol builds, served to the browser as they are. */
function packageDir(specifier: string): string {
  return dirname(fileURLToPath(import.meta.resolve(specifier)));
}

function policy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** The playground served at GET / (a WebSocket upgrade on / never reaches HTTP routes). */
export function playgroundPage(options: PlaygroundOptions): PlaygroundPage {
  const config: PageConfig = options.demoKey ? { demoKey: options.demoKey, demoCreator: PLAYGROUND_DEMO_CREATOR } : {};
  const modules: Record<string, ModuleDirectory> = {
    app: new ModuleDirectory(fileURLToPath(new URL('./app/', import.meta.url))),
    'lib/live': new ModuleDirectory(packageDir('@tiktool/live')),
    'lib/protocol': new ModuleDirectory(packageDir('@tiktool/protocol')),
  };
  const stylesheet = moduleFile(Buffer.from(PAGE_CSS));

  const sendAsset = (req: IncomingMessage, res: ServerResponse, file: ModuleFile, contentType: string) => {
    const headers = { ...COMMON_HEADERS, 'content-type': contentType, etag: file.etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': file.body.byteLength });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  return {
    async handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (path === '/') {
        const nonce = randomBytes(16).toString('base64');
        const body = Buffer.from(renderPage(config, nonce));
        res.writeHead(200, {
          ...COMMON_HEADERS,
          'content-type': 'text/html; charset=utf-8',
          'content-length': body.byteLength,
          'content-security-policy': policy(nonce),
          // The page may hold the demo key: keep it out of caches.
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      }
      if (path === `/${ASSET_PREFIX}style.css`) {
        sendAsset(req, res, stylesheet, 'text/css; charset=utf-8');
        return true;
      }
      const m = MODULE_PATH.exec(path);
      const file = m ? await modules[m[1]]!.get(m[2]!) : undefined;
      if (!file) return false;
      sendAsset(req, res, file, 'text/javascript; charset=utf-8');
      return true;
    },
  };
}
