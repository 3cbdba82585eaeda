/**
 * Finding a step by what the user remembers of it: its id, its name, its type or the one-line
 * summary on the canvas. Every word typed must match; whole substrings rank above scattered
 * letters ("sndml" still finds send_email), and matches in the id or name above the rest.
 */
import type { JourneyNode } from "../canvas/convert";
import type { Registry } from "../nodes/registry";
import { configSummary } from "../nodes/summary";

export interface NodeEntry {
  id: string;
  /** The step's own name, else its type's title. */
  title: string;
  typeTitle: string;
  category: string;
  icon: string | undefined;
  summary: string | null;
}

export function nodeEntries(nodes: JourneyNode[], registry: Registry): NodeEntry[] {
  return nodes.map((node) => {
    const spec = registry.byType.get(node.data.nodeType);
    const name = node.data.fields.name;
    const typeTitle = spec?.title ?? node.data.nodeType;
    return {
      id: node.id,
      title: typeof name === "string" && name !== "" ? name : typeTitle,
      typeTitle,
      category: spec?.category ?? "unknown",
      icon: spec?.icon,
      summary: configSummary(spec, node.data.fields.config),
    };
  });
}

/** The entries matching `query`, best first (all of them, in order, for an empty query). */
export function filterEntries(entries: NodeEntry[], query: string): NodeEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  const scored: { entry: NodeEntry; score: number; index: number }[] = [];
  entries.forEach((entry, index) => {
    let score = 0;
    for (const word of words) {
      const best = wordScore(entry, word);
      if (best === 0) return;
      score += best;
    }
    scored.push({ entry, score, index });
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((item) => item.entry);
}

/** How well one typed word matches an entry; 0 for no match. */
function wordScore(entry: NodeEntry, word: string): number {
  const id = entry.id.toLowerCase();
  const primary = [id, entry.title.toLowerCase()];
  const secondary = [entry.typeTitle.toLowerCase(), (entry.summary ?? "").toLowerCase()];
  if (id === word) return 100;
  if (primary.some((text) => text.startsWith(word))) return 60;
  if (primary.some((text) => text.includes(word))) return 40;
  if (secondary.some((text) => text.includes(word))) return 30;
  const scattered = Math.max(...primary.map((text) => subsequenceScore(text, word)));
  return scattered > 0 ? scattered : 0;
}

/** 1..20 when the letters of `word` appear in order in `text` (more for fewer gaps), else 0. */
function subsequenceScore(text: string, word: string): number {
  let at = -1;
  let gaps = 0;
  for (const letter of word) {
    const next = text.indexOf(letter, at + 1);
    if (next === -1) return 0;
    if (at !== -1 && next !== at + 1) gaps += 1;
    at = next;
  }
  return Math.max(1, 20 - gaps * 3);
}
