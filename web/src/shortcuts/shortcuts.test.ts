import { describe, expect, it } from "vitest";

import { SHORTCUTS, comboKeys, matchesShortcut, plainKeys } from "./shortcuts";

const key = (value: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean } = {}) => ({
  key: value,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
});

describe("the shortcut list", () => {
  it("has unique ids and a description and key for each", () => {
    expect(new Set(SHORTCUTS.map((item) => item.id)).size).toBe(SHORTCUTS.length);
    for (const item of SHORTCUTS) {
      expect(item.description).not.toBe("");
      expect(item.combos.length).toBeGreaterThan(0);
    }
  });

  it("matches key events, Ctrl or Cmd alike", () => {
    expect(matchesShortcut("save", key("s", { ctrl: true }))).toBe(true);
    expect(matchesShortcut("save", key("s", { meta: true }))).toBe(true);
    expect(matchesShortcut("save", key("s"))).toBe(false);
    expect(matchesShortcut("undo", key("z", { ctrl: true }))).toBe(true);
    expect(matchesShortcut("undo", key("Z", { ctrl: true, shift: true }))).toBe(false);
    expect(matchesShortcut("redo", key("Z", { ctrl: true, shift: true }))).toBe(true);
    expect(matchesShortcut("redo", key("y", { ctrl: true }))).toBe(true);
    expect(matchesShortcut("search", key("k", { ctrl: true }))).toBe(true);
    expect(matchesShortcut("help", key("?", { shift: true }))).toBe(true);
    expect(matchesShortcut("help", key("?", { ctrl: true }))).toBe(false);
  });

  it("never matches a mouse gesture against a key", () => {
    expect(matchesShortcut("area-select", key("Drag", { shift: true }))).toBe(false);
  });

  it("writes combos as keys and hands React Flow its delete keys", () => {
    expect(comboKeys({ key: "z", mod: true, shift: true })).toEqual(["Ctrl", "Shift", "Z"]);
    expect(comboKeys({ key: "?" })).toEqual(["?"]);
    expect(plainKeys("delete")).toEqual(["Delete", "Backspace"]);
  });
});
