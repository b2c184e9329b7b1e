import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { InputOf, OutputOf } from "../operation.js";
import { TEMPLATE_IDS, TEMPLATES } from "../templates.js";
import { VCLM_API } from "../vclm-api.js";
import { DescribeImageAnimateJob } from "./describe-image-animate-job.js";
import { OPERATIONS } from "./operations.js";
import { SubmitImageAnimateJob } from "./submit-image-animate-job.js";

const ok = (schema: v.GenericSchema, value: unknown) => v.safeParse(schema, value).success;

// What a JobId becomes when parsed as a JS number: 1194931538865782800, another job.
const JOB_ID_AS_NUMBER = Number("1194931538865782784");

describe("SubmitImageAnimateJob", () => {
  const full: InputOf<typeof SubmitImageAnimateJob> = {
    ImageUrl: "https://example.com/dancer.jpg",
    TemplateId: "tuziwu",
    EnableAudio: false,
    EnableBodyJoins: true,
    EnableSegment: true,
    LogoAdd: 1,
    LogoParam: { LogoUrl: "https://example.com/logo.png", LogoImage: "iVBOR", LogoRect: { X: 10, Y: 10, Width: 100, Height: 40 } },
  };

  it("accepts every documented field", () => {
    expect(ok(SubmitImageAnimateJob.input, full)).toBe(true);
    expect(ok(SubmitImageAnimateJob.input, { TemplateId: "ke3", ImageBase64: "iVBOR" })).toBe(true);
  });

  it.each([
    ["no photo", { TemplateId: "ke3" }],
    ["both photo forms", { TemplateId: "ke3", ImageUrl: "https://e/a.jpg", ImageBase64: "x" }],
    ["an unknown template", { TemplateId: "kemusan", ImageUrl: "https://e/a.jpg" }],
    ["no template", { ImageUrl: "https://e/a.jpg" }],
    ["a relative URL", { TemplateId: "ke3", ImageUrl: "/a.jpg" }],
    ["a fractional LogoAdd", { ...full, LogoAdd: 0.5 }],
    ["a LogoRect with a string", { ...full, LogoParam: { LogoRect: { X: "1", Y: 1, Width: 1, Height: 1 } } }],
    ["a misspelt field", { TemplateId: "ke3", ImageUrl: "https://e/a.jpg", EnableAudo: true }],
  ])("rejects %s", (_, input) => {
    expect(ok(SubmitImageAnimateJob.input, input)).toBe(false);
  });

  it("is not idempotent: sending it twice can make two paid jobs", () => {
    expect(SubmitImageAnimateJob.idempotent).toBe(false);
    expect(DescribeImageAnimateJob.idempotent).toBe(true);
  });
});

describe("DescribeImageAnimateJob", () => {
  it("reads every documented output, MaskVideoUrl optional", () => {
    const running: OutputOf<typeof DescribeImageAnimateJob> = {
      Status: "RUN",
      ErrorCode: "",
      ErrorMessage: "",
      ResultVideoUrl: "",
      RequestId: "r",
    };
    expect(ok(DescribeImageAnimateJob.output, running)).toBe(true);
    expect(ok(DescribeImageAnimateJob.output, { ...running, Status: "DONE", MaskVideoUrl: "https://m" })).toBe(true);
    expect(ok(DescribeImageAnimateJob.output, { ...running, Status: "PAUSED" })).toBe(false);
  });

  it("takes JobIds as strings only", () => {
    expect(ok(DescribeImageAnimateJob.input, { JobId: "1194931538865782784" })).toBe(true);
    expect(ok(DescribeImageAnimateJob.input, { JobId: JOB_ID_AS_NUMBER })).toBe(false);
    expect(ok(DescribeImageAnimateJob.input, { JobId: "" })).toBe(false);
  });
});

describe("OPERATIONS and VCLM_API", () => {
  it("name every action once, Submit and Describe among them, Submit the paid one", () => {
    expect(VCLM_API.actions).toEqual(expect.arrayContaining(["SubmitImageAnimateJob", "DescribeImageAnimateJob"]));
    expect(new Set(VCLM_API.actions).size).toBe(VCLM_API.actions.length);
    expect(OPERATIONS.filter((operation) => !operation.idempotent).map((operation) => operation.action)).toContain("SubmitImageAnimateJob");
  });

  it("every template the client accepts is one TEMPLATES names, and no other", () => {
    for (const TemplateId of TEMPLATE_IDS) expect(ok(SubmitImageAnimateJob.input, { TemplateId, ImageUrl: "https://e/a.jpg" })).toBe(true);
    expect(ok(SubmitImageAnimateJob.input, { TemplateId: "waltz", ImageUrl: "https://e/a.jpg" })).toBe(false);
    expect(TEMPLATE_IDS).toEqual(Object.keys(TEMPLATES));
  });
});
