/** Journey keys as the API accepts them, and a free key for a copy. */

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_KEY = 64;

/** Why `key` cannot be a new journey's key, or null when it can. */
export function keyProblem(key: string, taken: Set<string>): string | null {
  if (key === "") return "A key is needed";
  if (!KEY.test(key)) return "Lower-case letters, digits and -";
  if (taken.has(key)) return "This key is taken";
  return null;
}

/** `<key>-copy`, or `<key>-copy-2`, ... : the first one not taken, within the 64 characters of a key. */
export function copyKey(key: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "-copy" : `-copy-${n}`;
    const candidate = `${key.slice(0, MAX_KEY - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
