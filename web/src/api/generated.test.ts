import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const WEB = join(__dirname, "..", "..");

// openapi.json itself is checked against the app by tests/e2e/test_generated.py (pytest).
it("schema.d.ts is what openapi-typescript makes of openapi.json (else: make web-types)", () => {
  const dir = mkdtempSync(join(tmpdir(), "journey-types-"));
  try {
    const out = join(dir, "schema.d.ts");
    execFileSync(join(WEB, "node_modules", ".bin", "openapi-typescript"), [join(WEB, "src", "api", "openapi.json"), "-o", out], { stdio: "pipe" });
    expect(readFileSync(join(WEB, "src", "api", "schema.d.ts"), "utf-8")).toBe(readFileSync(out, "utf-8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
