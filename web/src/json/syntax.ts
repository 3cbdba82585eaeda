/**
 * JSON.parse with a useful error: where (line and column, 1-based) and what was expected.
 * Browsers word (and place) their parse errors differently, so the position comes from a small
 * scanner of our own that walks the grammar of RFC 8259 and stops at the first wrong character.
 */

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number; offset: number };

export function parseJson(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = findSyntaxError(text) ?? { offset: text.length, what: error instanceof Error ? error.message : String(error) };
    const { line, column } = lineColumn(text, found.offset);
    return { ok: false, line, column, offset: found.offset, message: `JSON syntax error at line ${line}, column ${column}: ${found.what}` };
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

interface SyntaxProblem {
  offset: number;
  what: string;
}

class Stop extends Error {
  constructor(readonly problem: SyntaxProblem) {
    super(problem.what);
  }
}

/** The first syntax error of `text`, or null when it is valid JSON. */
export function findSyntaxError(text: string): SyntaxProblem | null {
  let at = 0;
  const fail = (what: string): never => {
    throw new Stop({ offset: at, what: at >= text.length ? `${what}, but the text ends` : `${what}, found ${JSON.stringify(text[at])}` });
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const expect = (char: string, what: string) => {
    if (text[at] !== char) fail(what);
    at++;
  };
  const string = (what = "Expected a string in double quotes") => {
    expect('"', what);
    for (;;) {
      if (at >= text.length) fail("Expected the closing '\"' of the string");
      const char = text[at];
      if (char === '"') {
        at++;
        return;
      }
      if (char < " ") fail("Expected no line break or control character inside a string");
      if (char === "\\") {
        at++;
        if (text[at] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail("Expected four hex digits after \\u");
          at += 5;
        } else if (text[at] !== undefined && '"\\/bfnrt'.includes(text[at])) at++;
        else fail("Expected a valid escape after '\\'");
      } else at++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at));
    if (match === null || match[0] === "" || match[0] === "-") fail("Expected a value");
    at += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      space();
      if (text[at] === "}") {
        at++;
        return;
      }
      for (;;) {
        space();
        string("Expected a property name in double quotes");
        space();
        expect(":", "Expected ':' after the property name");
        value();
        space();
        if (text[at] === ",") at++;
        else return expect("}", "Expected ',' or '}' after the property value");
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text[at] === "]") {
        at++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[at] === ",") at++;
        else return expect("]", "Expected ',' or ']' after the list item");
      }
    }
    if (char === '"') return string();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    number();
  };
  try {
    value();
    space();
    if (at < text.length) fail("Expected the end of the document");
    return null;
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}
