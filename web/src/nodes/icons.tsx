import { Box, type LucideIcon } from "lucide-react";
import { createElement, useSyncExternalStore } from "react";

/**
 * Node types name their icon (`git-branch`); any lucide icon may be named, so the whole set
 * is loaded, apart from the app's own code (it is large), as soon as the app starts.
 */
let loaded: Record<string, LucideIcon> | null = null;
const listeners = new Set<() => void>();

export function loadIcons(): Promise<void> {
  return import("./allIcons").then(({ icons }) => {
    loaded = icons as Record<string, LucideIcon>;
    for (const listener of listeners) listener();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The lucide icon a node type names (`git-branch` -> GitBranch); a box when it is unknown. */
export function iconFor(name: string | undefined, icons: Record<string, LucideIcon> | null = loaded): LucideIcon {
  const pascal = (name ?? "")
    .split(/[-_ ]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return icons?.[pascal] ?? Box;
}

export function NodeIcon({ name, size = 16 }: { name: string | undefined; size?: number }) {
  const icons = useSyncExternalStore(subscribe, () => loaded);
  if (icons === null) return <span style={{ display: "inline-block", width: size, height: size }} aria-hidden="true" />;
  return createElement(iconFor(name, icons), { size, strokeWidth: 2, "aria-hidden": true });
}
