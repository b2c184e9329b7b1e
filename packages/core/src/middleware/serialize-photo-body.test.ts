import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { SubmitImageAnimateJob } from "../operations/submit-image-animate-job.js";
import { serializeJson } from "./serialize-json.js";
import { serializePhotoBody } from "./serialize-photo-body.js";

const reference = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** The body the two serializers make for this input, and what JSON.parse reads in it. */
async function bodyOf(input: Record<string, unknown>) {
  const context = makeContext({ operation: SubmitImageAnimateJob, input });
  await runAlone(serializePhotoBody, context);
  await runAlone(serializeJson, context);
  const { body } = context.request;
  return { body, parsed: JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body)) };
}

/** A Blob whose stream hands its bytes over in chunks of `size`, as a file's stream does. */
const chunkedBlob = (bytes: Uint8Array, size: number) => {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.slice(at, at + size));
  return new Blob(parts as BlobPart[]);
};

describe("serializePhotoBody", () => {
  it("writes a photo given as bytes, an ArrayBuffer or a Blob straight into the body, as JSON.stringify of its base64 would read", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 50_000 }),
        fc.record({
          TemplateId: fc.constantFrom("ke3", "tuziwu"),
          EnableAudio: fc.option(fc.boolean(), { nil: undefined }),
          LogoAdd: fc.option(fc.nat(3), { nil: undefined }),
        }),
        fc.integer({ min: 1, max: 9_000 }),
        async (bytes, rest, chunk) => {
          const expected = { ...JSON.parse(JSON.stringify(rest)), ImageBase64: reference(bytes) };
          for (const photo of [bytes, bytes.slice().buffer, chunkedBlob(bytes, chunk)]) {
            const { body, parsed } = await bodyOf({ ...rest, photo });
            expect(body).toBeInstanceOf(Uint8Array);
            expect(parsed).toEqual(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("copies a large base64 string in as bytes, and leaves a small one, or one that is not plain base64, to JSON.stringify", async () => {
    const large = reference(new Uint8Array(100_000).map((_, i) => i * 7));
    const big = await bodyOf({ TemplateId: "ke3", ImageBase64: large });
    expect(big.body).toBeInstanceOf(Uint8Array);
    expect(big.parsed).toEqual({ TemplateId: "ke3", ImageBase64: large });
    expect((await bodyOf({ TemplateId: "ke3", ImageBase64: "aGVsbG8=" })).body).toBe('{"TemplateId":"ke3","ImageBase64":"aGVsbG8="}');
    // Quotes and backslashes in it: copied raw they would break out of the JSON string.
    const hostile = `${"A".repeat(70_000)}","LogoAdd":1,"x":"\\`;
    const escaped = await bodyOf({ TemplateId: "ke3", ImageBase64: hostile });
    expect(typeof escaped.body).toBe("string");
    expect(escaped.parsed).toEqual({ TemplateId: "ke3", ImageBase64: hostile });
  });
});
