/** A readable id from `base` that is not in `taken`: `base`, else `base_2`, `base_3`, ... */
export function uniqueId(base: string, taken: Set<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60) || "node";
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}
