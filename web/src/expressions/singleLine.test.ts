import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";

import { lineBreaksAsSpaces } from "./singleLine";

describe("lineBreaksAsSpaces", () => {
  it("keeps a pasted multi-line text on one line, the cursor after it", () => {
    const state = EditorState.create({ doc: "user.a == 1", extensions: [lineBreaksAsSpaces] });
    const pasted = state.update({ changes: { from: 11, insert: "\n&&\nuser.b == 2" }, selection: { anchor: 25 } }).state;
    expect(pasted.doc.toString()).toBe("user.a == 1 && user.b == 2");
    expect(pasted.doc.lines).toBe(1);
    expect(pasted.selection.main.head).toBe(25);
  });

  it("leaves one-line edits alone", () => {
    const state = EditorState.create({ doc: "a", extensions: [lineBreaksAsSpaces] });
    expect(state.update({ changes: { from: 1, insert: " b" } }).state.doc.toString()).toBe("a b");
  });
});
