import { randomBytes } from 'node:crypto';
import { InvalidParamError, normaliseUniqueId } from '@tiktool/protocol';
import type { WebhookStore } from '../accounts/webhook-store.js';
import type { KeyRecord } from '../auth/key-store.js';
import type { Tier } from '../auth/tiers.js';
import { WEBHOOK_DEFAULT_GRACE_S, WEBHOOK_DELIVERIES_SHOWN, WEBHOOK_MAX_GRACE_S } from '../defaults.js';
import { forbidden, webhookLimit, webhookNotFound } from '../errors.js';
import type { Delivery } from './delivery.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEndpoint, type WebhookEventType, type WebhookPatch } from './webhook-endpoint.js';
import { pingEvent } from './webhook-event.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import { checkTarget, parseTargetUrl } from './target-address.js';

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
const MAX_CREATORS_PER_ENDPOINT = 500;

/** A key's endpoints as the API and the CLI manage them: validation, tier limits, secrets, replay. */
export class WebhookEndpoints {
  constructor(
    private readonly store: WebhookStore,
    private readonly outbox: WebhookOutbox,
    private readonly allowPrivate: boolean,
    /** Called after every change, so this node's registry reloads at once. */
    private readonly changed: () => Promise<void>,
  ) {}

  /** Creates an endpoint; its secret is in the answer only. */
  async create(key: KeyRecord, tier: Tier, input: Record<string, unknown>): Promise<WebhookEndpoint> {
    const own = await this.store.endpoints(key.id);
    if (own.length >= tier.maxWebhooks) throw webhookLimit(`the ${tier.name} tier allows ${tier.maxWebhooks} webhook endpoints per key`);
    const creators = this.creators(key, input.creators);
    checkCreatorLimit(tier, own, creators);
    const endpoint: WebhookEndpoint = {
      id: `wh_${randomBytes(9).toString('base64url')}`,
      keyId: key.id,
      url: await this.url(input.url),
      creators,
      events: events(input.events),
      minDiamonds: minDiamonds(input.minDiamonds),
      secret: newSecret(),
      previousSecret: null,
      previousSecretUntil: null,
      createdAt: Date.now(),
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
    };
    await this.store.insertEndpoint(endpoint);
    await this.changed();
    return endpoint;
  }

  list(keyId: string): Promise<WebhookEndpoint[]> {
    return this.store.endpoints(keyId);
  }

  /** The key's endpoint; another key's is as missing as one that does not exist. */
  async get(keyId: string, id: string): Promise<WebhookEndpoint> {
    const e = await this.store.endpoint(id);
    if (!e || e.keyId !== keyId) throw webhookNotFound(id);
    return e;
  }

  /** Changes url, creators, events or minDiamonds; `enabled: true` turns a disabled endpoint back on. */
  async update(key: KeyRecord, tier: Tier, id: string, input: Record<string, unknown>): Promise<WebhookEndpoint> {
    const current = await this.get(key.id, id);
    const patch: WebhookPatch = {};
    if (input.url !== undefined) patch.url = await this.url(input.url);
    if (input.creators !== undefined) {
      patch.creators = this.creators(key, input.creators);
      checkCreatorLimit(
        tier,
        (await this.store.endpoints(key.id)).filter((e) => e.id !== id),
        patch.creators,
      );
    }
    if (input.events !== undefined) patch.events = events(input.events);
    if (input.minDiamonds !== undefined) patch.minDiamonds = minDiamonds(input.minDiamonds);
    if (input.enabled !== undefined) {
      if (input.enabled !== true) throw new InvalidParamError('enabled', 'enabled may only be set to true (DELETE removes an endpoint)');
      Object.assign(patch, { disabledAt: null, disabledReason: null, failingSince: null });
    }
    await this.store.updateEndpoint(current.id, patch);
    await this.changed();
    return this.get(key.id, id);
  }

  async remove(keyId: string, id: string): Promise<void> {
    await this.get(keyId, id);
    await this.store.deleteEndpoint(id);
    await this.changed();
  }

  /** A new secret; the old one keeps signing for `graceSeconds` (both v1= values are sent). */
  async rotate(keyId: string, id: string, graceSeconds: unknown): Promise<WebhookEndpoint> {
    const current = await this.get(keyId, id);
    const grace = graceSeconds === undefined ? WEBHOOK_DEFAULT_GRACE_S : Number(graceSeconds);
    if (!Number.isInteger(grace) || grace < 0 || grace > WEBHOOK_MAX_GRACE_S) {
      throw new InvalidParamError('graceSeconds', `graceSeconds must be whole seconds from 0 to ${WEBHOOK_MAX_GRACE_S}`);
    }
    const secret = newSecret();
    await this.store.updateEndpoint(id, { secret, previousSecret: current.secret, previousSecretUntil: Date.now() + grace * 1000 });
    return { ...(await this.get(keyId, id)), secret };
  }

  async deliveries(keyId: string, id: string): Promise<Delivery[]> {
    await this.get(keyId, id);
    return this.store.deliveries(id, WEBHOOK_DELIVERIES_SHOWN);
  }

  /** Sends a delivery again (a dead letter, or one delivered before) as soon as the endpoint's earlier ones are through. */
  async retry(keyId: string, id: string, deliveryId: string): Promise<void> {
    await this.get(keyId, id);
    if (!(await this.store.retry(id, deliveryId, Date.now()))) throw webhookNotFound(deliveryId);
    this.outbox.wakeSender();
  }

  /** Enqueues a signed ping for the endpoint; returns its event id. */
  async test(keyId: string, id: string): Promise<string> {
    const endpoint = await this.get(keyId, id);
    const event = pingEvent(Date.now());
    await this.outbox.add(event, [endpoint]);
    return event.id;
  }

  private async url(raw: unknown): Promise<string> {
    const url = parseTargetUrl(raw, this.allowPrivate);
    await checkTarget(url, this.allowPrivate);
    return url.href;
  }

  /** The creators asked for, normalised; each must be within the key's scope. */
  private creators(key: KeyRecord, value: unknown): string[] {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.length > MAX_CREATORS_PER_ENDPOINT ||
      !value.every((v) => typeof v === 'string')
    ) {
      throw new InvalidParamError('creators', `creators must be an array of 1 to ${MAX_CREATORS_PER_ENDPOINT} usernames`);
    }
    const creators = [
      ...new Set(
        value.map((c) => {
          try {
            return normaliseUniqueId(c);
          } catch (err) {
            throw new InvalidParamError('creators', `creators: ${(err as Error).message}`);
          }
        }),
      ),
    ];
    if (key.allowedCreators !== null && creators.some((c) => !key.allowedCreators!.includes(c))) {
      throw forbidden('the key may not watch every creator asked for');
    }
    return creators;
  }
}

function events(value: unknown): WebhookEventType[] {
  const known: readonly string[] = WEBHOOK_EVENT_TYPES;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && known.includes(v))) {
    throw new InvalidParamError('events', `events must list at least one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(value as WebhookEventType[])];
}

function minDiamonds(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidParamError('minDiamonds', 'minDiamonds must be a whole number >= 0');
  }
  return value;
}

/** The key's endpoints together may watch at most the tier's maxWebhookCreators distinct creators. */
function checkCreatorLimit(tier: Tier, others: readonly WebhookEndpoint[], creators: readonly string[]): void {
  const all = new Set([...others.flatMap((e) => e.creators), ...creators]);
  if (all.size > tier.maxWebhookCreators) {
    throw webhookLimit(
      `the ${tier.name} tier's webhooks may watch ${tier.maxWebhookCreators} creators per key (this would make ${all.size})`,
    );
  }
}
