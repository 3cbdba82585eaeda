import { describe, expect, it } from "vitest";

import { copyKey, keyProblem } from "./keys";

describe("journey keys", () => {
  it("names what is wrong with a key", () => {
    const taken = new Set(["welcome"]);
    expect(keyProblem("", taken)).toBe("A key is needed");
    expect(keyProblem("Welcome", taken)).toBe("Lower-case letters, digits and -");
    expect(keyProblem("-welcome", taken)).toBe("Lower-case letters, digits and -");
    expect(keyProblem("a".repeat(65), taken)).toBe("Lower-case letters, digits and -");
    expect(keyProblem("welcome", taken)).toBe("This key is taken");
    expect(keyProblem("welcome-2", taken)).toBeNull();
  });

  it("suggests the first free copy key", () => {
    expect(copyKey("welcome", new Set(["welcome"]))).toBe("welcome-copy");
    expect(copyKey("welcome", new Set(["welcome", "welcome-copy", "welcome-copy-2"]))).toBe("welcome-copy-3");
  });

  it("keeps a copy of a long key within 64 characters and valid", () => {
    const long = "a".repeat(64);
    const copy = copyKey(long, new Set([long]));
    expect(copy).toBe(`${"a".repeat(59)}-copy`);
    expect(keyProblem(copy, new Set([long]))).toBeNull();
    expect(copyKey(`${"a".repeat(58)}-bcdef`, new Set())).toBe(`${"a".repeat(58)}-copy`);
  });
});
