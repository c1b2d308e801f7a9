import type { Gateway } from '../src/index.js';
import { TEST_KEY } from './helpers.js';
import type { OpenApiCheck } from './openapi-check.js';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { error?: unknown };
}

/** A REST call to the gateway with a key, as a user makes it. */
export async function api(gateway: Gateway | string, method: string, path: string, body?: unknown, key = TEST_KEY): Promise<ApiAnswer> {
  const base = typeof gateway === 'string' ? gateway : gateway.url;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}

/** The error code of an error answer: `{"error": {"code", "message"}}`. */
export function errorCode(a: ApiAnswer): string | undefined {
  return (a.body.error as { code?: string } | undefined)?.code;
}

/** api(), with every answer checked against the gateway's OpenAPI document. */
export function checkedApi(doc: () => OpenApiCheck): typeof api {
  return async (gateway, method, path, body, key) => {
    const answer = await api(gateway, method, path, body, key);
    doc().assertMatches(method, path.split('?')[0]!, answer.status, answer.body);
    return answer;
  };
}
