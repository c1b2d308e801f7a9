/** ANSI styles for the watcher's lines; identity functions when colour is off. */
export interface Colours {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

export type Colour = Exclude<keyof Colours, 'dim' | 'bold'>;

const CODES: Record<keyof Colours, [number, number]> = {
  dim: [2, 22],
  bold: [1, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

export function colours(enabled: boolean): Colours {
  const style = ([on, off]: [number, number]) => (enabled ? (s: string) => `\u001b[${on}m${s}\u001b[${off}m` : (s: string) => s);
  return Object.fromEntries(Object.entries(CODES).map(([name, codes]) => [name, style(codes)])) as unknown as Colours;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
