import { OPERATIONS, VCLM_API } from "@vclm/core";
import { describe, expect, it } from "vitest";
import { ACTIONS, CHANGES_STATE } from "./registry.js";

describe("the emulator's actions", () => {
  it("answer every operation the client can send, under its service and version", () => {
    for (const { action, service, version } of OPERATIONS) expect(ACTIONS[action], action).toMatchObject({ service, version });
    expect(VCLM_API.actions.every((action) => action in ACTIONS)).toBe(true);
  });

  it("save the state after each paid operation (a job was made)", () => {
    for (const { action, idempotent } of OPERATIONS) if (!idempotent) expect(CHANGES_STATE.has(action), action).toBe(true);
  });
});
