// Each template's dance: it starts and ends on the photo as it is (so frame 0 is the photo, and a
// looping video does not jump), and zooms no further than the kept photo's resolution.
import { TEMPLATE_IDS as CORE_TEMPLATE_IDS } from "@vclm/core";
import { describe, expect, it } from "vitest";
import { DANCES, MAX_ZOOM, TEMPLATE_IDS } from "./dances.js";
import { HEIGHT, WIDTH } from "./frames.js";

const frame = { width: WIDTH, height: HEIGHT };

describe("the templates' dances", () => {
  it("are danced for every template @vclm/core offers, and no other", () => {
    expect([...TEMPLATE_IDS].sort()).toEqual([...CORE_TEMPLATE_IDS].sort());
  });

  it.each(TEMPLATE_IDS)("%s starts on the photo as it is and comes back to it", (id) => {
    // Exactly, so frame 0 is the photo (+ 0 makes a -0, which moves nothing, a 0).
    const start = Object.fromEntries(Object.entries(DANCES[id](0, frame)).map(([key, value]) => [key, value + 0]));
    expect(start).toEqual({ zoom: 1, right: 0, up: 0, turn: 0 });
    const end = DANCES[id](1, frame);
    for (const key of ["right", "up", "turn"] as const) expect(end[key]).toBeCloseTo(0, 9);
    expect(end.zoom).toBeCloseTo(1, 9);
  });

  it.each(TEMPLATE_IDS)("%s zooms in no further than the photo is kept for", (id) => {
    for (let i = 0; i <= 240; i++) {
      const { zoom } = DANCES[id](i / 240, frame);
      expect(zoom).toBeGreaterThanOrEqual(1);
      expect(zoom).toBeLessThanOrEqual(MAX_ZOOM);
    }
  });
});
