/** Prints a value as a JavaScript literal a person could paste back into a call. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_STRING_SHOWN = 60;

export function formatLiteral(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, inner]) =>
        `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${formatLiteral(inner)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

function formatString(text: string): string {
  // A long run of one character (a generated oversized title) reads better as .repeat().
  if (text.length > MAX_STRING_SHOWN && new Set(text).size === 1) {
    return `${JSON.stringify(text[0])}.repeat(${text.length})`;
  }
  return JSON.stringify(text);
}
