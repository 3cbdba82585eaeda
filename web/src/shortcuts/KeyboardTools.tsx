import { Keyboard, Search } from "lucide-react";
import { useEffect, useState } from "react";

import { NodeSearch } from "../search/NodeSearch";
import { ShortcutSheet } from "./ShortcutSheet";
import "./keyboard.css";
import { isEditable, matchesShortcut } from "./shortcuts";

/** Toolbar buttons for finding a step (Ctrl+K) and the shortcut sheet (?), with their keys. */
export function KeyboardTools({ onGoTo }: { onGoTo: () => void }) {
  const [open, setOpen] = useState<"search" | "help" | null>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (matchesShortcut("search", event)) {
        event.preventDefault();
        setOpen("search");
      } else if (matchesShortcut("help", event) && !isEditable(event.target)) {
        event.preventDefault();
        setOpen("help");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button type="button" className="btn icon" onClick={() => setOpen("search")} title="Find a step (Ctrl+K)" aria-label="Find a step" data-testid="node-search-open">
        <Search size={16} />
      </button>
      <button type="button" className="btn icon" onClick={() => setOpen("help")} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="shortcuts-open">
        <Keyboard size={16} />
      </button>
      {open === "search" && <NodeSearch onClose={() => setOpen(null)} onGoTo={onGoTo} />}
      {open === "help" && <ShortcutSheet onClose={() => setOpen(null)} />}
    </>
  );
}
