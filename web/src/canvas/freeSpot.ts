/** Where a step added by a click goes: near the wanted point, but never on top of another step. */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The size of a step not measured yet (React Flow measures it once drawn). */
export const STEP_SIZE = { width: 220, height: 80 };
const GAP = 20;
const STEP_DOWN = 120;
const MAX_TRIES = 200;

/** The first spot at or below `wanted` (one row at a time) where a new step overlaps no box. */
export function freeSpot(wanted: { x: number; y: number }, taken: Box[]): { x: number; y: number } {
  const overlaps = (spot: { x: number; y: number }) =>
    taken.some(
      (box) =>
        spot.x < box.x + box.width + GAP && box.x < spot.x + STEP_SIZE.width + GAP && spot.y < box.y + box.height + GAP && box.y < spot.y + STEP_SIZE.height + GAP,
    );
  let spot = wanted;
  for (let tries = 0; tries < MAX_TRIES && overlaps(spot); tries += 1) spot = { x: spot.x, y: spot.y + STEP_DOWN };
  return spot;
}
