import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/relay.js", import.meta.url));

describe.each(runtimes)("@vclm/relay as a fetch handler in $name", ({ run }) => {
  it("forwards signed VCLM calls unchanged (the emulator verifies them), refuses other actions, drops cookies", async () => {
    expect(await run(probe, {})).toEqual({ Status: "WAIT", otherAction: 403, cookiesForwarded: 0 });
  });
});
