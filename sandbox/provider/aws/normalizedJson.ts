function sortedKeys(_key: string, value: unknown): unknown {
  return value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;
}

/**
 * terraform's `structure.NormalizeJsonString` (Go's decode then encode): compact, object keys sorted,
 * array order kept. The state holds JSON documents (event patterns, filter policies) in this form.
 */
export function normalizeJson(text: string): string {
  return JSON.stringify(JSON.parse(text), sortedKeys);
}

/** Whether two JSON texts hold the same document; text that is not JSON compares as text. */
export function sameJson(old: unknown, next: unknown): boolean {
  if (old === undefined || old === "" || next === undefined || next === "") return (old ?? "") === (next ?? "");
  try {
    return normalizeJson(String(old)) === normalizeJson(String(next));
  } catch {
    return old === next;
  }
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
