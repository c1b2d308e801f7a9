import { PAGE_CONFIG_ID, type PageConfig } from './app/page-config.js';

/** Where the page's assets are, relative to the page, so it also works under a proxy's path prefix. */
export const ASSET_PREFIX = 'playground/';

/** JSON that is safe inside a <script> element: no `<` can close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The playground's HTML. The import map lets the page's modules import `@tiktool/live`
 * (and the protocol it re-exports) from the SDK's own build. The nonce admits the import
 * map under the Content-Security-Policy; everything else is a file from this gateway.
 */
export function renderPage(config: PageConfig, nonce: string): string {
  const importMap = {
    imports: {
      '@tiktool/live': `./${ASSET_PREFIX}lib/live/index.js`,
      '@tiktool/protocol': `./${ASSET_PREFIX}lib/protocol/index.js`,
    },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tiktool playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PREFIX}style.css">
<script type="importmap" nonce="${nonce}">${scriptJson(importMap)}</script>
<script type="application/json" id="${PAGE_CONFIG_ID}">${scriptJson(config)}</script>
<script type="module" src="${ASSET_PREFIX}app/main.js"></script>
</head>
<body>
<header>
  <h1>tiktool <span>playground</span></h1>
  <span id="room-title" class="room-title"></span>
  <span id="state" class="state state-idle">idle</span>
</header>
<form id="connect" autocomplete="off">
  <label title="one username, or several separated by commas or spaces: a roster on one socket">Creators <input id="uniqueId" name="uniqueId" placeholder="username, or a, b, c" required spellcheck="false"></label>
  <label>API key <input id="apiKey" name="apiKey" type="password" placeholder="tt_…" spellcheck="false" autocomplete="off"></label>
  <button type="submit" id="connect-button">Connect</button>
  <button type="button" id="disconnect" disabled>Disconnect</button>
  <button type="button" id="drop" disabled title="Close the socket as a network failure would: the SDK reconnects and resumes without losing an event">Drop socket</button>
</form>
<ol id="connection-log" class="connection-log"></ol>
<main>
  <section class="feed-panel">
    <div id="filters" class="filters" aria-label="Event types shown in the feed"></div>
    <ol id="feed" class="feed" aria-live="off"></ol>
  </section>
  <aside>
    <section id="creators-panel" hidden><h2>Creators</h2><ul id="creators" class="creators"></ul></section>
    <section class="counters">
      <div><small>viewers</small><strong id="viewers">–</strong></div>
      <div><small>likes</small><strong id="likes">–</strong></div>
      <div><small>diamonds</small><strong id="diamonds">0</strong></div>
      <div><small>follows</small><strong id="follows">0</strong></div>
      <div><small>shares</small><strong id="shares">0</strong></div>
      <div><small>joins</small><strong id="joins">0</strong></div>
    </section>
    <section><h2>Battle</h2><div id="battle" class="battle empty">no battle</div></section>
    <section><h2>Gift streaks in progress</h2><ul id="streaks" class="streaks"></ul></section>
    <section>
      <h2>Pinned</h2><div id="pin" class="pin empty">nothing pinned</div>
      <h2>Intro</h2><div id="intro" class="pin empty">no intro yet</div>
    </section>
    <section class="inspector"><h2 id="inspector-caption">Event JSON</h2><pre id="inspector"></pre></section>
  </aside>
</main>
<noscript>The playground needs JavaScript.</noscript>
</body>
</html>
`;
}
