// Workers and browsers: their fetch errors carry no code, so the edge variant tells no problem and
// keeps the runtime's words (the server variant's cases are in network-error.test.ts).
import { expect, it } from "vitest";
import { networkCauseOf, sayProblem } from "./network-cause.edge.js";

it("tells the runtime's words down the cause chain, and the problem as unknown", () => {
  const error = new TypeError("Network connection lost.", { cause: new Error("socket closed") });
  expect(networkCauseOf(error)).toEqual({ problem: "unknown", code: undefined, messages: ["Network connection lost.", "socket closed"] });
  expect(networkCauseOf("odd")).toEqual({ problem: "unknown", code: undefined, messages: ["odd"] });
  expect(sayProblem("refused", "https://x.test/")).toBe("the request to https://x.test/ failed before an answer came");
});
