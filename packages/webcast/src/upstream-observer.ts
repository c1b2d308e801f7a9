/** What the upstream reports for metrics: sign calls, budget waits, addresses backing off. */

import type { UpstreamErrorCode } from './upstream.js';

export type SignOutcome = 'ok' | 'rate_limited' | 'rejected' | 'failed';

export interface UpstreamObserver {
  /** One call to the sign provider's connect, by how it went. */
  signCall?(outcome: SignOutcome): void;
  /** A sign call waited this long for a budget slot. */
  signWait?(ms: number): void;
  /** A sign call was refused: no budget slot within the longest wait. */
  signRefused?(): void;
  /** A route (direct or a proxy, masked) backs off for ms after this failure. */
  routeBenched?(route: string, code: UpstreamErrorCode, ms: number): void;
}
