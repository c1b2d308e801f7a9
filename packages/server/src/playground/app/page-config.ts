/** What the gateway tells the page, in a JSON block (never executed, never HTML). */
export interface PageConfig {
  /** The bootstrap key, only when the gateway runs the offline emulator. */
  demoKey?: string;
  /** A creator name to start with in demo mode (every name is live there). */
  demoCreator?: string;
}

export const PAGE_CONFIG_ID = 'playground-config';

export function readPageConfig(): PageConfig {
  const block = document.getElementById(PAGE_CONFIG_ID);
  return block?.textContent ? (JSON.parse(block.textContent) as PageConfig) : {};
}
