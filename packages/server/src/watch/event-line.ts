import { CREATOR_EVENT_NAMES, type CreatorEnvelope, type CreatorEventName, type LiveStatusData } from '@tiktool/live';
import { describeEvent, isStreakInProgress } from '../playground/app/describe-event.js';
import type { Colour, Colours } from './colours.js';

/** Width of the event name column: the longest name. */
const TAG_WIDTH = Math.max(...CREATOR_EVENT_NAMES.map((n) => n.length));

const COLOUR_OF: Partial<Record<CreatorEventName, Colour>> = {
  chat: 'cyan',
  gift: 'magenta',
  envelope: 'magenta',
  follow: 'green',
  share: 'green',
  subscribe: 'green',
  linkMicBattle: 'yellow',
  linkMicArmies: 'yellow',
  roomPin: 'blue',
  liveIntro: 'blue',
  questionNew: 'blue',
  superFan: 'magenta',
  goalUpdate: 'magenta',
  poll: 'blue',
  oecLiveShopping: 'blue',
  linkMicBattlePunish: 'yellow',
  linkMicBattleItemCard: 'yellow',
  imDelete: 'red',
  livePause: 'red',
  liveUnpause: 'green',
  streamEnd: 'red',
};

/** C0 and C1 control characters: a user's text must not drive the terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** HH:MM:SS of a timestamp, local time. */
function clock(timestamp: number): string {
  return new Date(timestamp).toTimeString().slice(0, 8);
}

/**
 * One readable line for an event; undefined for a gift streak still growing (its last
 * message prints the streak once, with its total). With `creatorWidth` (a roster: the
 * longest name) the line names the creator after the time, `@name` in a column that wide.
 */
export function eventLine(e: CreatorEnvelope, c: Colours, creatorWidth?: number): string | undefined {
  if (e.event === 'gift' && isStreakInProgress(e.data)) return undefined;
  const { who, text } = describeEvent(e);
  const colour = COLOUR_OF[e.event];
  const tag = e.event.padEnd(TAG_WIDTH);
  const name = who ? `${c.bold(clean(who))} ` : '';
  const creator = creatorWidth === undefined ? '' : `${`@${e.uniqueId}`.padEnd(creatorWidth + 1)} `;
  return `${c.dim(clock(e.data.timestamp))} ${creator}${colour ? c[colour](tag) : tag} ${name}${clean(text)}`;
}

/** A creator's live state in words: `@x is live`, or `@x is not live (checked 12:00:01)`. */
export function liveStatusLine(status: LiveStatusData): string {
  if (status.live) return `@${status.uniqueId} is live`;
  // "not live" (however the gateway words it) is what the line says already.
  const why = status.reason && !/not live/i.test(status.reason) ? `: ${clean(status.reason)}` : '';
  return `@${status.uniqueId} is not live${why} (checked ${clock(status.checkedAt)})`;
}
