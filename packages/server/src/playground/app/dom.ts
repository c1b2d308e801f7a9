/**
 * The only way the playground builds DOM: text goes in as text nodes, never as HTML,
 * so nothing a TikTok user types can become markup.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  data?: Record<string, string | number>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.title) node.title = options.title;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [key, value] of Object.entries(options.data ?? {})) node.dataset[key] = String(value);
  node.append(...children);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

const NUMBER = new Intl.NumberFormat();

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

/** Wall-clock time of an event, HH:MM:SS in the viewer's time zone. */
export function formatTime(timestamp: number): string {
  return new Date(timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
