// The shapes this package asks for are parts of the real bindings: a Worker passes its own
// `state.storage`, `env.BUCKET` and Durable Object namespace without a cast. Checked by the type
// checker (tsc -p test/worker-project) in a Worker's own setting: @cloudflare/workers-types' globals.
import { describe, expectTypeOf, it } from "vitest";
import type { DurableObjectNamespaceLike, DurableStorageLike, R2BucketLike, R2ObjectLike } from "../../src/index.js";

describe("the Workers shapes", () => {
  it("a real DurableObjectStorage is a DurableStorageLike", () => {
    expectTypeOf<DurableObjectStorage>().toExtend<DurableStorageLike>();
  });
  it("a real DurableObjectNamespace is a DurableObjectNamespaceLike", () => {
    expectTypeOf<DurableObjectNamespace>().toExtend<DurableObjectNamespaceLike>();
  });
  it("a real R2Bucket is an R2BucketLike, and what it reads an R2ObjectLike", () => {
    expectTypeOf<R2Bucket>().toExtend<R2BucketLike>();
    expectTypeOf<R2ObjectBody>().toExtend<R2ObjectLike>();
  });
});
