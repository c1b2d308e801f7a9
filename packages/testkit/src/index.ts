export { waitFor, WAIT_POLL_MS, WAIT_TIMEOUT_MS, type WaitOptions } from './wait-for.js';
export { listenOnFreePort, recentlyFreePort, startOnFreePort, PORT_ATTEMPTS } from './ports.js';
export { ProcessOutput, PROCESS_START_TIMEOUT_MS } from './process-output.js';
