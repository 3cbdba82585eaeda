import { describe, expect, it } from "vitest";

import { STEP_SIZE, freeSpot } from "./freeSpot";

const step = (x: number, y: number) => ({ x, y, ...STEP_SIZE });

describe("freeSpot", () => {
  it("keeps the wanted spot when it is free", () => {
    expect(freeSpot({ x: 0, y: 0 }, [step(400, 0)])).toEqual({ x: 0, y: 0 });
  });

  it("moves down below every step it would overlap", () => {
    expect(freeSpot({ x: 0, y: 0 }, [step(40, 20), step(0, 120)])).toEqual({ x: 0, y: 240 });
  });

  it("uses the measured size of the steps it avoids", () => {
    expect(freeSpot({ x: 0, y: 0 }, [{ x: 0, y: -300, width: 220, height: 320 }])).toEqual({ x: 0, y: 120 });
  });
});
