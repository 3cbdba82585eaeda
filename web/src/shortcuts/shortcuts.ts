/**
 * Every keyboard shortcut of the designer, in one list: the `?` sheet shows it and the key
 * handlers match events against it, so the sheet cannot promise a key that does nothing.
 * Ctrl stands for Cmd on a Mac (the handlers accept either).
 */

export interface KeyCombo {
  /** A `KeyboardEvent.key` (compared case-insensitively); for a pointer gesture, what to do. */
  key: string;
  /** Ctrl (or Cmd) held. */
  mod?: boolean;
  /** Shift held; undefined: either. */
  shift?: boolean;
  /** A mouse gesture (shown in the sheet, never matched against key events). */
  pointer?: boolean;
}

export type ShortcutId =
  | "save"
  | "undo"
  | "redo"
  | "delete"
  | "copy"
  | "cut"
  | "paste"
  | "duplicate"
  | "search"
  | "help"
  | "close"
  | "multi-select"
  | "area-select";

export interface Shortcut {
  id: ShortcutId;
  group: "Journey" | "Editing" | "Canvas" | "Finding your way";
  description: string;
  combos: KeyCombo[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: "save", group: "Journey", description: "Save the draft", combos: [{ key: "s", mod: true }] },
  { id: "undo", group: "Editing", description: "Undo", combos: [{ key: "z", mod: true, shift: false }] },
  { id: "redo", group: "Editing", description: "Redo", combos: [{ key: "z", mod: true, shift: true }, { key: "y", mod: true }] },
  { id: "delete", group: "Editing", description: "Delete the selected steps and edges", combos: [{ key: "Delete" }, { key: "Backspace" }] },
  { id: "copy", group: "Editing", description: "Copy the selected steps (also into another journey)", combos: [{ key: "c", mod: true }] },
  { id: "cut", group: "Editing", description: "Cut the selected steps (copy, then delete)", combos: [{ key: "x", mod: true }] },
  { id: "paste", group: "Editing", description: "Paste copied steps", combos: [{ key: "v", mod: true }] },
  { id: "duplicate", group: "Editing", description: "Duplicate the selected steps", combos: [{ key: "d", mod: true }] },
  { id: "multi-select", group: "Canvas", description: "Add a step to the selection", combos: [{ key: "Click", mod: true, pointer: true }] },
  { id: "area-select", group: "Canvas", description: "Select the steps in an area", combos: [{ key: "Drag", shift: true, pointer: true }] },
  { id: "search", group: "Finding your way", description: "Find a step and go to it", combos: [{ key: "k", mod: true }] },
  { id: "help", group: "Finding your way", description: "Show these shortcuts", combos: [{ key: "?" }] },
  { id: "close", group: "Finding your way", description: "Close a dialog or menu", combos: [{ key: "Escape" }] },
];

export function shortcut(id: ShortcutId): Shortcut {
  const found = SHORTCUTS.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`No shortcut '${id}'`);
  return found;
}

/** Whether a key event is one of the shortcut's combos. */
export function matchesShortcut(id: ShortcutId, event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey">): boolean {
  const mod = event.ctrlKey || event.metaKey;
  return shortcut(id).combos.some(
    (combo) =>
      !combo.pointer && combo.key.toLowerCase() === event.key.toLowerCase() && Boolean(combo.mod) === mod && (combo.shift === undefined || combo.shift === event.shiftKey),
  );
}

/** The keys of the shortcut's plain combos, as React Flow takes them (e.g. `deleteKeyCode`). */
export function plainKeys(id: ShortcutId): string[] {
  return shortcut(id)
    .combos.filter((combo) => !combo.pointer && !combo.mod && combo.shift === undefined)
    .map((combo) => combo.key);
}

const KEY_NAMES: Record<string, string> = { Delete: "Del", Backspace: "⌫", Escape: "Esc" };

/** How a combo is written in the sheet: its keys, e.g. ["Ctrl", "Shift", "Z"]. */
export function comboKeys(combo: KeyCombo): string[] {
  const key = KEY_NAMES[combo.key] ?? (combo.key.length === 1 ? combo.key.toUpperCase() : combo.key);
  return [...(combo.mod ? ["Ctrl"] : []), ...(combo.shift ? ["Shift"] : []), key];
}

/** Whether keys typed at this element belong to it (a text field), not to the designer. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
