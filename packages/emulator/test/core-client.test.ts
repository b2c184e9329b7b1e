// @vclm/core's client against the emulator over HTTP: the SDK's own path, photo to video.

import { createHash } from "node:crypto";
import {
  DescribeImageAnimateJob,
  isServiceError,
  photoToBase64,
  SubmitImageAnimateJob,
  TEMPLATE_IDS,
  type TemplateId,
  VclmClient,
  VclmNetworkError,
  VclmResponseError,
} from "@vclm/core";
import { largeJpeg } from "@vclm/tools/large-jpeg";
import { makeJpeg, makePng } from "@vclm/tools/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../src/node.js";
import { readMp4 } from "./mp4.js";
import { demo } from "./signed.js";

let running: RunningEmulator;
let client: VclmClient;
beforeAll(async () => {
  running = await startEmulator({ clock: "manual" });
  running.emulator.clock.set(Date.now());
  client = new VclmClient({ region: "ap-singapore", endpoint: running.url, credentials: demo });
});
afterAll(() => running.close());

describe("@vclm/core against the emulator", () => {
  it("animates a photo: submit, WAIT, RUN, DONE, and the video plays back as MP4 bytes", async () => {
    const ImageBase64 = await photoToBase64(makeJpeg(720, 1280, { exifBytes: 2000 }));
    const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "huajiangwu", ImageBase64 });
    const statuses = [(await client.send(DescribeImageAnimateJob, { JobId })).Status];
    running.emulator.clock.advance(3_000);
    statuses.push((await client.send(DescribeImageAnimateJob, { JobId })).Status);
    running.emulator.clock.advance(12_000);
    const done = await client.send(DescribeImageAnimateJob, { JobId });
    statuses.push(done.Status);
    expect(statuses).toEqual(["WAIT", "RUN", "DONE"]);
    const video = new Uint8Array(await (await fetch(done.ResultVideoUrl)).arrayBuffer());
    expect(new TextDecoder().decode(video.subarray(4, 8))).toBe("ftyp");
  });

  it("makes each template's video its own dance: another template, other bytes; the same one, the same bytes", async () => {
    const photo = makePng(600, 1000, { pattern: 1 });
    const videoOf = async (TemplateId: TemplateId) => {
      const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId, photo });
      running.emulator.clock.advance(15_000);
      const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
      return new Uint8Array(await (await fetch(ResultVideoUrl)).arrayBuffer());
    };
    const videos = new Map<string, Uint8Array>();
    for (const id of TEMPLATE_IDS) videos.set(id, await videoOf(id));
    for (const video of videos.values()) expect(readMp4(video)).toEqual({ width: 192, height: 320, samples: 24, seconds: 3 });
    const digests = [...videos.values()].map((video) => createHash("sha256").update(video).digest("hex"));
    expect(new Set(digests).size).toBe(TEMPLATE_IDS.length);
    expect(Buffer.from(await videoOf("tuziwu")).equals(videos.get("tuziwu") as Uint8Array)).toBe(true); // another job, the same photo
  });

  it("turns the emulator's faults into the client's typed errors", async () => {
    running.emulator.scenarios.serverError(503);
    await expect(client.send(DescribeImageAnimateJob, { JobId: "1" })).rejects.toBeInstanceOf(VclmResponseError);
    running.emulator.scenarios.dropConnection();
    await expect(client.send(DescribeImageAnimateJob, { JobId: "1" })).rejects.toBeInstanceOf(VclmNetworkError);
    const error = await client.send(DescribeImageAnimateJob, { JobId: "1" }).catch((e) => e);
    expect(isServiceError(error, "FailedOperation.JobNotFound")).toBe(true);
  });

  it("takes a 10 MB photo given as bytes or as a Blob, written straight into the body: the emulator receives it intact", async () => {
    const photo = largeJpeg();
    const expected = createHash("sha256").update(Buffer.from(photo).toString("base64")).digest("hex");
    for (const given of [photo, new Blob([photo])]) {
      const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo: given });
      const job = [...running.emulator.jobs.all()].find((j) => j.id === JobId);
      expect(job?.photo).toBe(expected); // the SHA-256 of the ImageBase64 it received
    }
  });

  it("says, when a Submit's answer is lost after the job was made, that the job may exist and not to resend at once", async () => {
    const before = [...running.emulator.jobs.all()].length;
    running.emulator.scenarios.loseAnswer({ count: 1, actions: ["SubmitImageAnimateJob"] });
    const error = (await client
      .send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" })
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(VclmNetworkError);
    expect(error.message).toMatch(/the job may exist and be paid for.*Do not submit the same photo again at once/);
    expect([...running.emulator.jobs.all()].length - before).toBe(1); // it did exist
    // A Describe that fails the same way says nothing of the kind: nothing is paid for.
    running.emulator.scenarios.dropConnection({ count: 1, actions: ["DescribeImageAnimateJob"] });
    const describe = (await client.send(DescribeImageAnimateJob, { JobId: "1" }).catch((e: unknown) => e)) as Error;
    expect(describe.message).not.toMatch(/may exist/);
    running.emulator.scenarios.reset();
  });
});
