import { CREATOR_EVENT_NAMES } from '@tiktool/protocol';

/** Hides a type's lines while the feed has its `hide-TYPE` class (set by the filters). */
const FILTER_RULES = CREATOR_EVENT_NAMES.map((name) => `.feed.hide-${name} .ev-${name}`).join(',\n') + ' { display: none; }';

/** The playground's stylesheet. */
export const PAGE_CSS = `
:root {
  color-scheme: dark;
  --bg: #0f1115; --panel: #171a21; --line: #232733; --text: #e6e8ee; --muted: #8b92a5;
  --accent: #fe2c55; --cyan: #25f4ee; --good: #3ddc97; --warn: #ffb547; --bad: #ff5c7a;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); display: flex; flex-direction: column; height: 100vh; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 16px; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 18px; }
h1 span { color: var(--accent); font-weight: 500; }
h2 { margin: 0 0 6px; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.room-title { color: var(--muted); flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.state { padding: 2px 10px; border-radius: 10px; font-size: 12px; background: var(--line); }
.state-open { background: color-mix(in srgb, var(--good) 25%, transparent); color: var(--good); }
.state-connecting, .state-reconnecting { background: color-mix(in srgb, var(--warn) 25%, transparent); color: var(--warn); }
.state-closed { background: color-mix(in srgb, var(--bad) 25%, transparent); color: var(--bad); }
form { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 10px 16px; }
label { color: var(--muted); }
input[type=text], input:not([type]), input[type=password] {
  background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin-left: 4px; width: 14em;
}
button { background: var(--accent); color: white; border: 0; border-radius: 6px; padding: 7px 14px; font-weight: 600; cursor: pointer; }
button[type=button] { background: var(--line); color: var(--text); }
button:disabled { opacity: .4; cursor: default; }
.connection-log { list-style: none; margin: 0 0 8px; padding: 0 16px; font-size: 12px; line-height: 1.4; height: 5.6em; color: var(--muted); }
.connection-log li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.connection-log time { color: var(--muted); opacity: .7; }
.connection-log .good { color: var(--good); }
.connection-log .warn { color: var(--warn); }
.connection-log .bad { color: var(--bad); }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 12px; padding: 0 16px 16px; }
.feed-panel { display: flex; flex-direction: column; min-height: 0; background: var(--panel); border-radius: 8px; }
.filters { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 8px 10px; border-bottom: 1px solid var(--line); font-size: 12px; }
.filter { white-space: nowrap; cursor: pointer; }
.filter .count { color: var(--text); font-variant-numeric: tabular-nums; }
.feed { list-style: none; margin: 0; padding: 4px 0; overflow-y: auto; flex: 1; }
.line { display: flex; gap: 8px; padding: 3px 10px; cursor: pointer; border-left: 3px solid transparent; }
.line:hover { background: var(--line); }
.line time { color: var(--muted); font-variant-numeric: tabular-nums; }
.tag { color: var(--muted); width: 7.5em; flex: none; overflow: hidden; text-overflow: ellipsis; }
.who { font-weight: 600; color: var(--cyan); white-space: nowrap; }
.text { overflow-wrap: anywhere; }
.creator-tag { color: var(--warn); white-space: nowrap; width: 9em; flex: none; overflow: hidden; text-overflow: ellipsis; }
.creators { list-style: none; margin: 0; padding: 0; }
.creator { display: flex; gap: 8px; padding: 2px 4px; cursor: pointer; border-radius: 4px; }
.creator.focused { background: var(--line); }
.creator-state { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.creator[data-state=live] .creator-state { color: var(--good); }
.creator[data-state=waiting] .creator-state { color: var(--warn); }
.gift-alert { border-left-color: var(--accent); background: color-mix(in srgb, var(--accent) 10%, transparent); }
.gift-alert .text { color: #ffd166; font-weight: 600; }
.ev-follow .text, .ev-share .text, .ev-subscribe .text { color: var(--good); }
.ev-member .text, .ev-like .text { color: var(--muted); }
.ev-streamEnd .text { color: var(--bad); font-weight: 600; }
${FILTER_RULES}
aside { display: flex; flex-direction: column; gap: 10px; min-height: 0; overflow-y: auto; }
aside section { background: var(--panel); border-radius: 8px; padding: 10px; }
.counters { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
.counters div { display: flex; flex-direction: column; }
.counters small { color: var(--muted); }
.counters strong { font-size: 18px; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); }
.inspectable { cursor: pointer; }
.battle small { color: var(--muted); }
.team { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; margin-top: 4px; }
.team .track { grid-column: 1 / -1; height: 6px; background: var(--line); border-radius: 3px; overflow: hidden; }
.team .bar { display: block; height: 100%; background: var(--cyan); }
.team.leading .bar { background: var(--accent); }
.streaks { list-style: none; margin: 0; padding: 0; min-height: 1.4em; }
.streaks li { cursor: pointer; padding: 1px 0; }
.pin { display: flex; flex-wrap: wrap; gap: 0 6px; }
.pin + h2 { margin-top: 10px; }
.pin small { width: 100%; color: var(--muted); }
.inspector { flex: 1; min-height: 160px; display: flex; flex-direction: column; }
.inspector pre { margin: 0; flex: 1; overflow: auto; font-size: 12px; color: #c6d0f5; white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
`;
