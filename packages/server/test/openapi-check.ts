import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** A JSON pointer segment: `~` and `/` escaped. */
const segment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** What a test saw: the answer, its parsed JSON body, and its headers. */
export interface Answer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * The gateway's OpenAPI document, checked to be valid OpenAPI, and every answer a test
 * sees checked against it: the route and status are documented and the body matches the
 * schema the document gives for them.
 */
export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Answers validated, by "METHOD template status": what the tests covered. */
  readonly covered = new Set<string>();

  private constructor(readonly doc: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc, 'openapi.json');
  }

  static async load(gatewayUrl: string): Promise<OpenApiCheck> {
    const res = await fetch(`${gatewayUrl}/v1/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Json;
    const result = await new Validator().validate(doc);
    assert.ok(result.valid, `the document is not valid OpenAPI: ${JSON.stringify(result.errors)}`);
    assert.equal(doc.openapi, '3.1.0');
    return new OpenApiCheck(doc);
  }

  get paths(): Record<string, Record<string, Json>> {
    return this.doc.paths as Record<string, Record<string, Json>>;
  }

  /** The documented path template a concrete path matches; literal paths win over templates. */
  template(path: string): string | undefined {
    const templates = Object.keys(this.paths).sort((a, b) => a.split('{').length - b.split('{').length);
    return templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  }

  /** Fetches `path` on the gateway and asserts the answer matches the document. */
  async fetch<T = Json>(base: string, path: string, init: RequestInit = {}): Promise<Answer<T>> {
    const res = await fetch(`${base}${path}`, init);
    const body = (await res.json()) as T;
    this.assertMatches(init.method ?? 'GET', path.split('?')[0]!, res.status, body);
    return { status: res.status, body, headers: res.headers };
  }

  assertMatches(method: string, path: string, status: number, body: unknown): void {
    const template = this.template(path);
    assert.ok(template, `${path} is not in the document`);
    const operation = this.paths[template][method.toLowerCase()];
    if (!operation) {
      // A method the route does not have: 405 in the error shape.
      assert.equal(status, 405, `${method} ${template} is not in the document`);
      return this.assertMatchesSchema('/components/responses/MethodNotAllowed', `${method} ${path} ${status}`, body);
    }
    let pointer = `/paths/${segment(template)}/${method.toLowerCase()}/responses/${status}`;
    let response = (operation.responses as Json)[String(status)] as Json | undefined;
    assert.ok(response, `${method} ${template} does not document status ${status}: ${JSON.stringify(body)}`);
    if (status === 204) {
      assert.ok(
        !response.content && (body === undefined || Object.keys(body as object).length === 0),
        `${method} ${template} 204 has a body`,
      );
      return void this.covered.add(`${method.toUpperCase()} ${template} ${status}`);
    }
    if (typeof response.$ref === 'string') {
      pointer = response.$ref.slice(1);
      response = (this.doc.components as { responses: Record<string, Json> }).responses[response.$ref.split('/').pop()!];
    }
    assert.ok((response?.content as Json | undefined)?.['application/json'], `${method} ${template} ${status} documents no JSON body`);
    this.assertMatchesSchema(pointer, `${method} ${path} ${status}`, body);
    this.covered.add(`${method.toUpperCase()} ${template} ${status}`);
  }

  /** Asserts the body of a webhook request the gateway made matches the document's `webhooks` entry for its type. */
  assertWebhook(body: { type: string }): void {
    assert.ok((this.doc.webhooks as Json)[body.type], `webhook type ${body.type} is not in the document`);
    this.assertMatchesSchema(`/webhooks/${segment(body.type)}/post/requestBody`, `webhook ${body.type}`, body);
    this.covered.add(`webhook ${body.type}`);
  }

  private assertMatchesSchema(responsePointer: string, what: string, body: unknown): void {
    const validate = this.validator(`${responsePointer}/content/application~1json/schema`);
    assert.ok(validate(body), `${what}: ${this.ajv.errorsText(validate.errors)}; body ${JSON.stringify(body)}`);
  }

  private validator(pointer: string): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json#${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }
}
