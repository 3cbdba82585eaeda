import { describe, expect, it } from "vitest";

import { exportFileName, formatDocument, prepareDocument } from "./document";
import { findSyntaxError, lineColumn, parseJson } from "./syntax";

const doc = { key: "welcome", name: "Welcome", nodes: [{ id: "start", type: "trigger", config: { kind: "manual" } }], edges: [] };

describe("parseJson", () => {
  it("parses valid JSON", () => {
    expect(parseJson(formatDocument(doc))).toEqual({ ok: true, value: doc });
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, "Expected a property name in double quotes, found \"}\""],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "Expected ',' or '}' after the property value, found \"\\\"\""],
    ['{"a" 1}', 1, 6, "Expected ':' after the property name, found \"1\""],
    ['{"a": tru}', 1, 7, 'Expected a value, found "t"'],
    ['[1, 2', 1, 6, "Expected ',' or ']' after the list item, but the text ends"],
    ["", 1, 1, "Expected a value, but the text ends"],
    ['{"a": "x\ny"}', 1, 9, "Expected no line break or control character inside a string, found \"\\n\""],
    ['{"a": "\\q"}', 1, 9, "Expected a valid escape after '\\', found \"q\""],
    ["{} {}", 1, 4, 'Expected the end of the document, found "{"'],
    ["{'a': 1}", 1, 2, "Expected a property name in double quotes, found \"'\""],
  ])("places the syntax error of %j at line %i, column %i", (text, line, column, what) => {
    const result = parseJson(text);
    expect(result).toMatchObject({ ok: false, line, column, message: `JSON syntax error at line ${line}, column ${column}: ${what}` });
    expect(lineColumn(text, (result as { offset: number }).offset)).toEqual({ line, column });
  });

  it("agrees with JSON.parse on what is valid", () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', " [ ] ", "0", '"x"', "-0.1"]) {
      expect(findSyntaxError(text), text).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    }
    for (const text of ["01", "1.", "-", "[1,]", "tru", '"\\u12"']) {
      expect(findSyntaxError(text), text).not.toBeNull();
      expect(() => JSON.parse(text)).toThrow();
    }
  });

  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("prepareDocument", () => {
  it("loads a document of this journey as it is", () => {
    expect(prepareDocument(JSON.stringify(doc), "welcome")).toEqual({ ok: true, doc, notice: null });
  });

  it("keeps this journey's key for another journey's document, and says so", () => {
    const result = prepareDocument(JSON.stringify({ ...doc, key: "other" }), "welcome");
    expect(result).toEqual({ ok: true, doc, notice: "The document is for journey 'other'; it was loaded as 'welcome', this journey's key" });
    const keyless = prepareDocument(JSON.stringify({ name: "X", nodes: [], edges: [] }), "welcome");
    expect(keyless).toMatchObject({ ok: true, doc: { key: "welcome" }, notice: "The document had no key; it was loaded as 'welcome'" });
  });

  it("refuses what is not a JSON object, or not JSON", () => {
    expect(prepareDocument("[1]", "welcome")).toEqual({ ok: false, message: "The document must be a JSON object ({ … }), with its nodes and edges" });
    expect(prepareDocument("{", "welcome")).toEqual({ ok: false, offset: 1, message: "JSON syntax error at line 1, column 2: Expected a property name in double quotes, but the text ends" });
  });

  it("formats documents readably and names exports by key", () => {
    expect(formatDocument({ key: "k", name: "K", nodes: [], edges: [] })).toBe('{\n  "key": "k",\n  "name": "K",\n  "nodes": [],\n  "edges": []\n}\n');
    expect(exportFileName("welcome")).toBe("welcome.json");
  });
});
