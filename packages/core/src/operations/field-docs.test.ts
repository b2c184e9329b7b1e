// The operations' types are inferred from their valibot schemas: this pins that each field's TSDoc
// survives the inference, so an editor shows it on hover where a user writes a call.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));
const probe = `${here}hover-probe.ts`;
const source = `
import { DescribeImageAnimateJob } from "./describe-image-animate-job.js";
import { SubmitImageAnimateJob } from "./submit-image-animate-job.js";
import type { VclmClient } from "../client.js";
declare const client: VclmClient;
const submitted = client.send(SubmitImageAnimateJob, {
  ImageUrl: "", ImageBase64: "", photo: new Uint8Array(), TemplateId: "ke3", EnableAudio: true, EnableBodyJoins: true,
  EnableSegment: true, LogoAdd: 1, LogoParam: { LogoUrl: "", LogoImage: "", LogoRect: { X: 0, Y: 0, Width: 1, Height: 1 } },
});
const described = await client.send(DescribeImageAnimateJob, { JobId: (await submitted).JobId });
described.Status; described.ErrorCode; described.ErrorMessage; described.ResultVideoUrl; described.MaskVideoUrl;
`;

const config = ts.getParsedCommandLineOfConfigFile(
  fileURLToPath(new URL("../../tsconfig.json", import.meta.url)),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  },
);
const service = ts.createLanguageService({
  getScriptFileNames: () => [probe],
  getScriptVersion: () => "1",
  getScriptSnapshot: (file) =>
    ts.ScriptSnapshot.fromString(file === probe ? source : ts.sys.fileExists(file) ? readFileSync(file, "utf8") : ""),
  getCurrentDirectory: () => here,
  getCompilationSettings: () => config?.options ?? {},
  getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
  fileExists: (file) => file === probe || ts.sys.fileExists(file),
  readFile: (file) => (file === probe ? source : ts.sys.readFile(file)),
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
});

// What an editor shows on hover over the last `field` in the probe.
const hover = (field: string) => {
  const info = service.getQuickInfoAtPosition(probe, source.lastIndexOf(`${field}`));
  return ts.displayPartsToString(info?.documentation);
};

describe("the operations' field docs, on hover where a call is written", () => {
  // The first question builds the program: seconds, once.
  beforeAll(() => void hover("TemplateId"), 60_000);

  it.each([
    ["ImageUrl", /photo's URL/],
    ["ImageBase64", /bare base64/],
    ["photo", /bytes or a Blob/],
    ["TemplateId", /kemusan/],
    ["EnableAudio", /template's audio/],
    ["EnableBodyJoins", /body joints/],
    ["EnableSegment", /background/],
    ["LogoAdd", /AI generated/],
    ["LogoParam", /logo of your own/],
    ["LogoUrl", /logo's URL/],
    ["LogoImage", /base64/],
    ["LogoRect", /top-left/],
  ])("SubmitImageAnimateJob's %s", (field, doc) => {
    expect(hover(field)).toMatch(doc);
  });

  it.each([
    ["JobId", /64-bit number/],
    ["Status", /WAIT: queued/],
    ["ErrorCode", /Why the job failed/],
    ["ErrorMessage", /service's words/],
    ["ResultVideoUrl", /valid for 24 hours/],
    ["MaskVideoUrl", /mask video/],
  ])("DescribeImageAnimateJob's %s", (field, doc) => {
    expect(hover(field)).toMatch(doc);
  });
});
