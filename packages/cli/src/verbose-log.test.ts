import { describe, expect, it } from "vitest";
import { logLine } from "./verbose-log.js";

const at = new Date(2026, 0, 2, 14, 2, 11, 50);

describe("logLine", () => {
  it("says the time, the event's msg, then the RequestId", () => {
    const event = { msg: "SubmitImageAnimateJob: 200 JobId 7 in 84 ms", event: "vclm.call", requestId: "6a3c-1", ms: 84 };
    expect(logLine("debug", event, at)).toBe("14:02:11.050 SubmitImageAnimateJob: 200 JobId 7 in 84 ms · RequestId 6a3c-1");
  });

  it("names a level above info, and the error code when msg does not say it already", () => {
    const event = { msg: "SubmitImageAnimateJob failed: no answer in 9 ms", event: "vclm.call", code: "VclmNetworkError" };
    expect(logLine("warn", event, at)).toBe("14:02:11.050 WARN SubmitImageAnimateJob failed: no answer in 9 ms · code VclmNetworkError");
    const said = { msg: "job 7: FAIL (FailedOperation.DriverFailed) after 3 s", event: "vclm.job", code: "FailedOperation.DriverFailed" };
    expect(logLine("warn", said, at)).toBe("14:02:11.050 WARN job 7: FAIL (FailedOperation.DriverFailed) after 3 s");
    expect(logLine("info", { msg: "job 7: RUN after 1 s", event: "vclm.job", status: "RUN", code: undefined }, at)).toBe(
      "14:02:11.050 job 7: RUN after 1 s",
    );
  });
});
