import { TikTokLive, TikTokLiveError, type CreatorEnvelope, type Creators, type TikTokLiveErrorCode } from '@tiktool/live';
import { BattleView } from './battle-view.js';
import { explainClose } from './close-words.js';
import { ConnectionView } from './connection-view.js';
import { CreatorsView, parseCreators } from './creators-view.js';
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

/**
 * The playground: one TikTokLive client at a time (one creator, or a roster of several on
 * one socket), its events on screen. The room panels show one creator: a roster's focus.
 */

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
const creatorsPanel = byId('creators-panel');
const creators = new CreatorsView(byId('creators'), focusCreator);

let client: TikTokLive<Creators> | undefined;
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

function resetRoomViews(): void {
  room.reset();
  battle.reset();
  streaks.clear();
}

function resetViews(): void {
  feed.clear();
  creators.reset();
  filters.reset();
  resetRoomViews();
  inspector.clear();
}

/** A roster's room panels follow one creator: the one clicked (at first, the first to go live). */
function focusCreator(uniqueId: string): void {
  resetRoomViews();
  const info = client?.creator(uniqueId)?.roomInfo;
  if (info) room.roomInfo(info);
}

/** Whether an event is about the creator the room panels show. */
function inFocus(uniqueId: string): boolean {
  return creators.focus === undefined || creators.focus === uniqueId;
}

function showEvent(e: CreatorEnvelope): void {
  filters.count(e.event);
  if (inFocus(e.uniqueId)) showInRoom(e);
  if (e.event === 'gift' && isStreakInProgress(e.data)) return;
  feed.add(e, describeEvent(e), e.event === 'gift' ? 'gift-alert' : '');
}

function showInRoom(e: CreatorEnvelope): void {
  room.event(e);
  switch (e.event) {
    case 'gift':
      return streaks.update(e);
    case 'linkMicBattle':
      return battle.battle(e);
    case 'linkMicArmies':
      return battle.armies(e);
  }
}

function setButtons(): void {
  const state = client?.state ?? 'idle';
  connection.state(state);
  disconnectButton.disabled = state === 'idle' || state === 'closed';
  dropButton.disabled = state !== 'open';
}

function start(names: string[], key: string): void {
  client?.disconnect();
  resetViews();
  sockets = new TrackedSockets();
  const roster = names.length > 1;
  feed.tagCreators = roster;
  creatorsPanel.hidden = !roster;
  let live: TikTokLive<Creators>;
  try {
    // The SDK offers the key as a subprotocol, so it appears in no URL.
    live = new TikTokLive(roster ? names : (names[0] ?? ''), { url: gatewayUrl(), apiKey: key, WebSocket: sockets.WebSocket });
  } catch (err) {
    connection.say(err instanceof Error ? err.message : String(err), 'bad');
    return;
  }
  client = live;
  const current = () => client === live;
  onEveryEvent(live, (e) => {
    if (current()) showEvent(e);
  });
  if (roster) creators.roster(live.creators);
  live.on('roomInfo', (info) => {
    if (!current()) return;
    if (roster) creators.live(info);
    if (inFocus(info.uniqueId)) room.roomInfo(info);
    setButtons();
  });
  live.on('liveStatus', (status) => {
    if (!current()) return;
    creators.status(status);
    if (roster) creators.roster(live.creators);
  });
  live.on('connected', (info) => {
    if (current() && !info.resumed) {
      connection.say(`connected to @${info.uniqueId}, room ${info.roomId}, session ${info.sessionId}`, 'good');
    }
  });
  live.on('resumed', ({ uniqueId, recovered, replayed }) => {
    if (!current()) return;
    const who = roster ? `@${uniqueId} ` : '';
    if (recovered) {
      connection.say(`${who}resumed: ${replayed} missed events replayed, nothing lost`, 'good');
      return;
    }
    if (inFocus(uniqueId)) streaks.clear();
    connection.say(`${who}resumed with a gap: some events could not be replayed (${replayed} were)`, 'warn');
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
    if (!current()) return;
    connection.say(err.message, 'warn');
    // The gateway may drop a creator it refuses or cannot find.
    if (roster) creators.roster(live.creators);
  });
  live.connect().then(
    () => {
      if (!current() || !roster) return;
      creators.roster(live.creators);
      connection.say(`following ${live.creators.length} creators on one socket, session ${live.sessionId}`, 'good');
    },
    (err: unknown) => {
      // A close already explained itself through `disconnected`; anything else is said here.
      const explained = err instanceof TikTokLiveError && EXPLAINED_BY_DISCONNECTED.has(err.code);
      if (current() && !explained) connection.say(err instanceof Error ? err.message : String(err), 'bad');
      if (current()) setButtons();
    },
  );
  connection.say(`connecting to ${names.map((n) => `@${n}`).join(', ')}…`);
  setButtons();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  start(parseCreators(uniqueIdInput.value), keyInput.value.trim());
});
disconnectButton.addEventListener('click', () => {
  client?.disconnect();
  setButtons();
});
dropButton.addEventListener('click', () => sockets?.drop());
