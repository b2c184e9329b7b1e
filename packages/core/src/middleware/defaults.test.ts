import { describe, expect, it } from "vitest";
import { SubmitImageAnimateJob } from "../operations/submit-image-animate-job.js";
import { defaultStack } from "./defaults.js";

describe("the default pipeline", () => {
  it("runs validate, serialize, sign, send, parse, check: signing inside any retry phase, each attempt signed afresh", () => {
    expect(defaultStack().list()).toEqual([
      { name: "validateInput", phase: "validate" },
      { name: "serializeJson", phase: "serialize" },
      { name: "signRequest", phase: "sign" },
      { name: "fetchTransport", phase: "transport" },
      { name: "parseEnvelope", phase: "deserialize" },
      { name: "validateOutput", phase: "deserialize" },
    ]);
  });

  it("checks a submitted photo right after the input and writes it into the body before serializeJson, for SubmitImageAnimateJob only", () => {
    expect(
      defaultStack()
        .list(SubmitImageAnimateJob)
        .map((m) => m.name),
    ).toEqual([
      "validateInput",
      "preflightPhoto",
      "serializePhotoBody",
      "serializeJson",
      "signRequest",
      "warnMaybeSubmitted",
      "streamLargeBody",
      "fetchTransport",
      "parseEnvelope",
      "validateOutput",
    ]);
  });

  it("keeps SubmitImageAnimateJob's photo check when validateInput is removed: it falls back to the validate phase", () => {
    const stack = defaultStack();
    stack.remove("validateInput");
    expect(stack.list(SubmitImageAnimateJob).slice(0, 3)).toEqual([
      { name: "preflightPhoto", phase: "validate" },
      { name: "serializePhotoBody", phase: "serialize" },
      { name: "serializeJson", phase: "serialize" },
    ]);
  });
});
