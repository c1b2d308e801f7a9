import { randomBytes } from 'node:crypto';
import type { CreatorEventName } from '@tiktool/protocol';
import { GatewayError } from '../errors.js';
import { encodeEntry } from '../hub/creator-stream.js';
import type { CreatorLog, LogEvent, LogPosition, LogRead, Sequenced } from '../hub/log.js';
import { creatorKeys, type CreatorKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';
import { appendEvent, ensureEpoch, resetLog, type AppendResult } from './script-calls.js';

export interface RedisLogOptions {
  historyMaxEvents: number;
  /** Keys of a creator nobody appends to expire after this long. */
  historyTtlMs: number;
}

/** Recent msgIds kept per creator to drop what a new owner's upstream resends. */
const MAX_RECENT_IDS = 20_000;

const notOwner = () => new GatewayError('ERR_NOT_LOG_OWNER', 'this node does not own the creator log');

export const newEpoch = () => randomBytes(6).toString('base64url');

/**
 * A creator's log in Redis, shared by every node: a stream of entries with ids `seq-0`
 * and a meta hash holding the epoch and head. Appends are fenced by the upstream lease's
 * token; every node reads it (LogMirror).
 */
export class RedisLog implements CreatorLog {
  private readonly keys: CreatorKeys;

  constructor(
    private readonly redis: ClusterRedis,
    private readonly uniqueId: string,
    private readonly options: RedisLogOptions,
    /** The lease token this node appends under ('' on a node that only reads). */
    private readonly token: string,
  ) {
    this.keys = creatorKeys(uniqueId);
  }

  /** The owner's append: the position only, as its entry reaches every node by the event notice. */
  appendFenced(e: LogEvent): Promise<AppendResult> {
    return appendEvent(this.redis, {
      keys: this.keys,
      token: this.token,
      epochIfNew: newEpoch(),
      msgId: e.msgId,
      event: e.event,
      data: e.data,
      maxEvents: this.options.historyMaxEvents,
      maxIds: MAX_RECENT_IDS,
      ttlMs: this.options.historyTtlMs,
      cursor: e.resumePoint?.cursor ?? '',
      internalExt: e.resumePoint?.internalExt ?? '',
    });
  }

  async append(e: LogEvent): Promise<Sequenced | undefined> {
    const appended = await this.appendFenced(e);
    if (appended === 'not-owner') throw notOwner();
    if (appended === 'duplicate') return undefined;
    return { epoch: appended.epoch, entry: encodeEntry(appended.seq, e.event, e.data, Date.now(), this.uniqueId), data: e.data };
  }

  async read(fromSeq: number): Promise<LogRead> {
    const { epoch, head } = await this.position();
    const rows = fromSeq <= head ? await this.redis.xrange(this.keys.log, `${fromSeq}-0`, '+') : [];
    const now = Date.now();
    const entries = rows.map(([id, fields]): Sequenced => {
      const data = fields[3];
      return { epoch, entry: encodeEntry(Number(id.split('-')[0]), fields[1] as CreatorEventName, data, now, this.uniqueId), data };
    });
    return { epoch, head, entries };
  }

  position(): Promise<LogPosition> {
    return ensureEpoch(this.redis, this.keys, newEpoch(), this.options.historyTtlMs);
  }

  /** The owner's reset: its new position, or 'not-owner' when fenced out. */
  async resetFenced(): Promise<LogPosition | 'not-owner'> {
    const epoch = newEpoch();
    return (await resetLog(this.redis, this.keys, this.token, epoch, this.options.historyTtlMs)) ? { epoch, head: 0 } : 'not-owner';
  }

  async reset(): Promise<LogPosition> {
    const reset = await this.resetFenced();
    if (reset === 'not-owner') throw notOwner();
    return reset;
  }
}
