import { TikTokLive, TikTokLiveError, type CreatorEnvelope, type TikTokLiveErrorCode } from '@tiktool/live';
import { BattleView } from './battle-view.js';
import { explainClose } from './close-words.js';
import { ConnectionView } from './connection-view.js';
import { describeEvent, isStreakInProgress } from './describe-event.js';
import { byId } from './dom.js';
import { onEveryEvent } from './every-event.js';
import { Feed } from './feed.js';
import { Filters } from './filters.js';
import { GiftStreaks } from './gift-streaks.js';
import { Inspector } from './inspector.js';
import { TrackedSockets } from './tracked-sockets.js';
import { readPageConfig } from './page-config.js';
import { RoomView } from './room-view.js';

/** The playground: one TikTokLive client at a time, its events on screen. */

/** Why connect() can reject that a `disconnected` event has already said. */
const EXPLAINED_BY_DISCONNECTED: ReadonlySet<TikTokLiveErrorCode> = new Set([
  'ERR_CONNECTION_CLOSED',
  'ERR_DISCONNECTED',
  'ERR_UNREACHABLE',
  'ERR_RECONNECT_EXHAUSTED',
]);

const form = byId<HTMLFormElement>('connect');
const uniqueIdInput = byId<HTMLInputElement>('uniqueId');
const keyInput = byId<HTMLInputElement>('apiKey');
const disconnectButton = byId<HTMLButtonElement>('disconnect');
const dropButton = byId<HTMLButtonElement>('drop');
const feedList = byId<HTMLOListElement>('feed');

const inspector = new Inspector(byId('inspector-caption'), byId('inspector'));
const feed = new Feed(feedList, inspector);
const filters = new Filters(byId('filters'), feedList);
const room = new RoomView(inspector);
const battle = new BattleView(byId('battle'), inspector);
const streaks = new GiftStreaks(byId('streaks'), inspector);
const connection = new ConnectionView(byId('state'), byId('connection-log'));

let client: TikTokLive | undefined;
let sockets: TrackedSockets | undefined;

const config = readPageConfig();
if (config.demoKey) keyInput.value = config.demoKey;
if (config.demoCreator) uniqueIdInput.value = config.demoCreator;
resetViews();

/** The gateway that served this page, at the same path: works behind a TLS proxy and under a prefix. */
function gatewayUrl(): string {
  const url = new URL('.', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.toString();
}

function resetViews(): void {
  feed.clear();
  filters.reset();
  room.reset();
  battle.reset();
  streaks.clear();
  inspector.clear();
}

function showEvent(e: CreatorEnvelope): void {
  filters.count(e.event);
  room.event(e);
  switch (e.event) {
    case 'gift':
      streaks.update(e);
      if (isStreakInProgress(e.data)) return;
      return feed.add(e, describeEvent(e), 'gift-alert');
    case 'linkMicBattle':
      battle.battle(e);
      break;
    case 'linkMicArmies':
      battle.armies(e);
      break;
  }
  feed.add(e, describeEvent(e));
}

function setButtons(): void {
  const state = client?.state ?? 'idle';
  connection.state(state);
  disconnectButton.disabled = state === 'idle' || state === 'closed';
  dropButton.disabled = state !== 'open';
}

function start(uniqueId: string, key: string): void {
  client?.disconnect();
  resetViews();
  sockets = new TrackedSockets();
  let live: TikTokLive;
  try {
    // The SDK offers the key as a subprotocol, so it appears in no URL.
    live = new TikTokLive(uniqueId, { url: gatewayUrl(), apiKey: key, WebSocket: sockets.WebSocket });
  } catch (err) {
    connection.say(err instanceof Error ? err.message : String(err), 'bad');
    return;
  }
  client = live;
  const current = () => client === live;
  onEveryEvent(live, (e) => {
    if (current()) showEvent(e);
  });
  live.on('roomInfo', (info) => {
    if (!current()) return;
    room.roomInfo(info);
    setButtons();
  });
  live.on('connected', (info) => {
    if (current() && !info.resumed) {
      connection.say(`connected to @${info.uniqueId}, room ${info.roomId}, session ${info.sessionId}`, 'good');
    }
  });
  live.on('resumed', ({ recovered, replayed }) => {
    if (!current()) return;
    if (recovered) {
      connection.say(`resumed: ${replayed} missed events replayed, nothing lost`, 'good');
      return;
    }
    streaks.clear();
    connection.say(`resumed with a gap: some events could not be replayed (${replayed} were)`, 'warn');
  });
  live.on('disconnected', ({ code, reason, willReconnect, error }) => {
    if (!current()) return;
    // An error says what the close code cannot: the gateway unreachable, or why the SDK gave up.
    const words = error ? `${error.message}${willReconnect ? '; reconnecting' : ''}` : explainClose(code, reason, willReconnect);
    connection.say(words, willReconnect ? 'warn' : code === 1000 || code === 4005 ? 'info' : 'bad');
    setButtons();
  });
  live.on('reconnecting', ({ attempt, delayMs }) => {
    if (!current()) return;
    connection.say(`reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`);
    setButtons();
  });
  live.on('error', (err) => {
    if (current()) connection.say(err.message, 'warn');
  });
  live.connect().catch((err: unknown) => {
    // A close already explained itself through `disconnected`; anything else is said here.
    const explained = err instanceof TikTokLiveError && EXPLAINED_BY_DISCONNECTED.has(err.code);
    if (current() && !explained) connection.say(err instanceof Error ? err.message : String(err), 'bad');
    if (current()) setButtons();
  });
  connection.say(`connecting to @${uniqueId}…`);
  setButtons();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  start(uniqueIdInput.value.trim(), keyInput.value.trim());
});
disconnectButton.addEventListener('click', () => {
  client?.disconnect();
  setButtons();
});
dropButton.addEventListener('click', () => sockets?.drop());
