import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { VclmValidationError } from "../errors/validation-error.js";
import { SubmitImageAnimateJob } from "../operations/submit-image-animate-job.js";
import { validateInput } from "./validate-input.js";

// What a JobId becomes when parsed as a JS number: 1194931538865782800, another job.
const JOB_ID_AS_NUMBER = Number("1194931538865782784");

describe("validateInput", () => {
  it("passes a valid input on, as the schema's output", async () => {
    const context = makeContext();
    expect(await runAlone(validateInput, context)).toBe(1);
    expect(context.input).toEqual({ JobId: "1194931538865782784" });
  });

  it("stops a bad input before anything else runs, naming every field and rule", async () => {
    const context = makeContext({
      operation: SubmitImageAnimateJob,
      input: { TemplateId: "kemusan", ImageUrl: "not a url", LogoAdd: 1.5, Extra: true },
    });
    const error = await runAlone(validateInput, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VclmValidationError);
    const { issues, message, action } = error as VclmValidationError;
    expect(action).toBe("SubmitImageAnimateJob");
    expect(issues.map((i) => i.path).sort()).toEqual(["Extra", "ImageUrl", "LogoAdd", "TemplateId"]);
    expect(message).toContain("TemplateId must be one of ke3, tuziwu, huajiangwu");
    expect(message).toContain("unknown field Extra");
    expect(message).toContain("nothing was sent");
  });

  it("tells a JobId given as a number why it must be a string", async () => {
    const error = (await runAlone(validateInput, makeContext({ input: { JobId: JOB_ID_AS_NUMBER } })).catch(
      (e) => e,
    )) as VclmValidationError;
    expect(error.issues).toEqual([{ path: "JobId", message: expect.stringContaining("never turn them into JS numbers") }]);
  });
});

describe("validateInput, unknown fields", () => {
  it("names a misspelt field and the field it is closest to, at any depth", async () => {
    const context = makeContext({
      operation: SubmitImageAnimateJob,
      input: { TemplateID: "ke3", ImageUrl: "https://example.com/a.jpg", LogoParam: { LogoURL: "https://example.com/l.png" } },
    });
    const error = (await runAlone(validateInput, context).catch((e: unknown) => e)) as VclmValidationError;
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: "TemplateID", message: "unknown field TemplateID (did you mean TemplateId?)" },
        { path: "LogoParam.LogoURL", message: "unknown field LogoParam.LogoURL (did you mean LogoUrl?)" },
      ]),
    );
    expect(error.message).not.toContain("Expected never");
  });
});
