import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/relay.js", import.meta.url));

describe.each(runtimes)("@vclm/relay as a fetch handler in $name", ({ run }) => {
  it("issues credentials to a signed-in user only, forwards their signed calls (the emulator verifies them), refuses other actions and a replayed Submit, drops cookies", async () => {
    expect(await run(probe, {})).toEqual({
      Status: "WAIT",
      otherAction: 403,
      anonymousCredentials: 401,
      replayedSubmit: 403,
      jobs: 1,
      cookiesForwarded: 0,
    });
  });
});
