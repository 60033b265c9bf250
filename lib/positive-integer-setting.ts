export class InvalidSetting extends Error {
  constructor(name: string, value: string) {
    super(`${name} "${value}" is not a positive whole number`);
    this.name = "InvalidSetting";
  }
}

/** A positive integer from an environment variable: `fallback` when unset or blank, a named error when not a positive integer. */
export function positiveIntegerSetting(name: string, value: string | undefined, fallback: number): number {
  const text = value?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidSetting(name, text);
  return Number(text);
}
