import type { LinkMicArmiesData, LinkMicBattleData, User } from '@tiktool/live';
import type { CreatorEnvelope } from '@tiktool/live';
import { displayName } from './describe-event.js';
import { el, formatNumber } from './dom.js';
import type { Inspector } from './inspector.js';

const BATTLE_FINISHED = 2;

/** The current battle: each team's host and score, from linkMicBattle and linkMicArmies. */
export class BattleView {
  private battleId = '';
  private status = 0;
  private hosts: User[] = [];
  private readonly points = new Map<string, number>();
  private last: CreatorEnvelope | undefined;

  constructor(
    private readonly node: HTMLElement,
    inspector: Inspector,
  ) {
    inspector.bind(node, () => this.last);
  }

  battle(e: CreatorEnvelope<'linkMicBattle'>): void {
    this.last = e;
    this.start(e.data);
    this.hosts = e.data.battleUsers;
    this.render();
  }

  armies(e: CreatorEnvelope<'linkMicArmies'>): void {
    this.last = e;
    this.start(e.data);
    for (const army of e.data.armies) this.points.set(army.hostUserId, army.points);
    this.render();
  }

  reset(): void {
    this.battleId = '';
    this.hosts = [];
    this.points.clear();
    this.last = undefined;
    this.node.classList.add('empty');
    this.node.replaceChildren('no battle');
  }

  private start(data: LinkMicBattleData | LinkMicArmiesData): void {
    if (data.battleId !== this.battleId) {
      this.battleId = data.battleId;
      this.hosts = [];
      this.points.clear();
    }
    this.status = data.battleStatus;
  }

  private render(): void {
    const ids = this.hosts.length > 0 ? this.hosts.map((h) => h.userId) : [...this.points.keys()];
    const names = new Map(this.hosts.map((h) => [h.userId, displayName(h)]));
    const total = ids.reduce((sum, id) => sum + (this.points.get(id) ?? 0), 0);
    const best = Math.max(...ids.map((id) => this.points.get(id) ?? 0));
    const finished = this.status === BATTLE_FINISHED;
    const teams = ids.map((id) => {
      const points = this.points.get(id) ?? 0;
      const bar = el('span', { className: 'bar' });
      bar.style.width = `${total > 0 ? (100 * points) / total : 100 / ids.length}%`;
      const leading = points === best && points > 0;
      return el(
        'div',
        { className: `team${leading ? ' leading' : ''}` },
        el('span', { className: 'who', text: names.get(id) ?? id }),
        el('strong', { text: formatNumber(points) }),
        el('span', { className: 'track' }, bar),
      );
    });
    this.node.classList.remove('empty');
    this.node.replaceChildren(el('small', { text: finished ? 'finished' : 'live' }), ...teams);
  }
}
