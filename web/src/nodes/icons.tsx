import { type LucideIcon, icons } from "lucide-react";
import { createElement } from "react";

/** The lucide icon a node type names (`git-branch` -> GitBranch); a box when it is unknown. */
export function iconFor(name: string | undefined): LucideIcon {
  const pascal = (name ?? "")
    .split(/[-_ ]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return (icons as Record<string, LucideIcon>)[pascal] ?? icons.Box;
}

export function NodeIcon({ name, size = 16 }: { name: string | undefined; size?: number }) {
  return createElement(iconFor(name), { size, strokeWidth: 2, "aria-hidden": true });
}
