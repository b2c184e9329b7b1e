import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineOperation } from "../operation.js";
import type { Context } from "./context.js";
import { type Middleware, MiddlewareStack } from "./stack.js";

const operation = defineOperation({
  action: "Test",
  version: "1",
  service: "test",
  input: v.unknown(),
  output: v.unknown(),
  idempotent: true,
});
const context = (op = operation) => ({ operation: op, state: {} }) as unknown as Context;
const recorder =
  (log: string[], name: string): Middleware =>
  async (_, next) => {
    log.push(`>${name}`);
    await next();
    log.push(`<${name}`);
  };

describe("MiddlewareStack", () => {
  it("orders by phase, whatever the order of adding", () => {
    const stack = new MiddlewareStack();
    const noop: Middleware = (_, next) => next();
    stack
      .add(noop, { name: "parse", phase: "deserialize" })
      .add(noop, { name: "sign", phase: "sign" })
      .add(noop, { name: "check", phase: "validate" });
    stack
      .add(noop, { name: "retry", phase: "retry" })
      .add(noop, { name: "send", phase: "transport" })
      .add(noop, { name: "init", phase: "initialize" });
    expect(stack.list().map((m) => m.name)).toEqual(["init", "check", "retry", "sign", "send", "parse"]);
  });

  it("keeps adding order within a phase, and honours before and after", () => {
    const stack = new MiddlewareStack();
    const noop: Middleware = (_, next) => next();
    stack.add(noop, { name: "a", phase: "sign" }).add(noop, { name: "b", phase: "sign" });
    stack.add(noop, { name: "first", phase: "sign", before: "a" }).add(noop, { name: "middle", phase: "sign", after: "a" });
    expect(stack.list().map((m) => m.name)).toEqual(["first", "a", "middle", "b"]);
  });

  it("runs the onion: each middleware around the ones after it", async () => {
    const log: string[] = [];
    const stack = new MiddlewareStack()
      .add(recorder(log, "sign"), { name: "sign", phase: "sign" })
      .add(recorder(log, "check"), { name: "check", phase: "validate" });
    await stack.run(context());
    expect(log).toEqual([">check", ">sign", "<sign", "<check"]);
  });

  it("lets a middleware call next() again, re-running everything after it (a retry)", async () => {
    const log: string[] = [];
    const twice: Middleware = async (_, next) => {
      await next();
      await next();
    };
    const stack = new MiddlewareStack()
      .add(twice, { name: "retry", phase: "retry" })
      .add(recorder(log, "send"), { name: "send", phase: "transport" });
    await stack.run(context());
    expect(log).toEqual([">send", "<send", ">send", "<send"]);
  });

  it("removes, replaces in place, and clones without sharing changes", async () => {
    const log: string[] = [];
    const stack = new MiddlewareStack()
      .add(recorder(log, "a"), { name: "a", phase: "validate" })
      .add(recorder(log, "b"), { name: "b", phase: "sign" })
      .add(recorder(log, "c"), { name: "c", phase: "transport" });
    const copy = stack.clone();
    expect(stack.remove("a")).toBe(true);
    expect(stack.remove("a")).toBe(false);
    stack.replace("b", recorder(log, "B"));
    await stack.run(context());
    expect(log).toEqual([">B", ">c", "<c", "<B"]);
    expect(copy.list().map((m) => m.name)).toEqual(["a", "b", "c"]);
  });

  it("places an operation's own middleware for its calls only, and lets the client's same-named one win", async () => {
    const log: string[] = [];
    const withExtra = {
      ...operation,
      middleware: [{ name: "extra", phase: "validate" as const, after: "check", middleware: recorder(log, "extra") }],
    };
    const stack = new MiddlewareStack()
      .add(recorder(log, "check"), { name: "check", phase: "validate" })
      .add(recorder(log, "send"), { name: "send", phase: "transport" });
    expect(stack.list(withExtra).map((m) => m.name)).toEqual(["check", "extra", "send"]);
    expect(stack.list().map((m) => m.name)).toEqual(["check", "send"]);
    await stack.run(context(withExtra));
    expect(log).toEqual([">check", ">extra", ">send", "<send", "<extra", "<check"]);
    log.length = 0;
    stack.add(recorder(log, "mine"), { name: "extra", phase: "transport" });
    await stack.run(context(withExtra));
    // The client's "extra" (transport phase, after send) replaces the operation's (validate phase).
    expect(log).toEqual([">check", ">send", ">mine", "<mine", "<send", "<check"]);
  });

  it("keeps a middleware's place when the one it was placed next to is removed", () => {
    const noop: Middleware = (_, next) => next();
    const stack = new MiddlewareStack()
      .add(noop, { name: "a", phase: "sign" })
      .add(noop, { name: "b", phase: "sign" })
      .add(noop, { name: "x", phase: "sign", after: "a" });
    stack.remove("a");
    expect(stack.list().map((m) => m.name)).toEqual(["x", "b"]);
  });

  it("places an operation's own middleware last in its phase when its anchor is gone or in another phase, and its calls still run", async () => {
    const log: string[] = [];
    const withExtra = {
      ...operation,
      middleware: [
        { name: "afterGone", phase: "validate" as const, after: "check", middleware: recorder(log, "afterGone") },
        { name: "beforeGone", phase: "transport" as const, before: "send", middleware: recorder(log, "beforeGone") },
        { name: "elsewhere", phase: "validate" as const, after: "sign", middleware: recorder(log, "elsewhere") },
      ],
    };
    const stack = new MiddlewareStack()
      .add(recorder(log, "check"), { name: "check", phase: "validate" })
      .add(recorder(log, "other"), { name: "other", phase: "validate" })
      .add(recorder(log, "sign"), { name: "sign", phase: "sign" })
      .add(recorder(log, "send"), { name: "send", phase: "transport" })
      .add(recorder(log, "parse"), { name: "parse", phase: "deserialize" });
    expect(stack.list(withExtra).map((m) => m.name)).toEqual([
      "check",
      "afterGone",
      "other",
      "elsewhere",
      "sign",
      "beforeGone",
      "send",
      "parse",
    ]);
    stack.remove("check");
    stack.remove("send");
    expect(stack.list(withExtra)).toEqual([
      { name: "other", phase: "validate" },
      { name: "afterGone", phase: "validate" },
      { name: "elsewhere", phase: "validate" },
      { name: "sign", phase: "sign" },
      { name: "beforeGone", phase: "transport" },
      { name: "parse", phase: "deserialize" },
    ]);
    await stack.run(context(withExtra));
    expect(log.filter((line) => line.startsWith(">"))).toEqual([">other", ">afterGone", ">elsewhere", ">sign", ">beforeGone", ">parse"]);
  });

  it("removes a plugin's middleware as a group by tag, and nothing else", async () => {
    const log: string[] = [];
    const stack = new MiddlewareStack()
      .add(recorder(log, "check"), { name: "check", phase: "validate" })
      .add(recorder(log, "retry"), { name: "retry", phase: "retry", tags: ["resilience"] })
      .add(recorder(log, "hedge"), { name: "hedge", phase: "transport", tags: ["resilience", "latency"] })
      .add(recorder(log, "send"), { name: "send", phase: "transport" });
    await stack.run(context());
    expect(stack.remove({ tag: "resilience" })).toBe(true);
    expect(stack.remove({ tag: "resilience" })).toBe(false);
    expect(stack.remove({ tag: "check" })).toBe(false); // a tag, not a name
    expect(stack.list().map((m) => m.name)).toEqual(["check", "send"]);
    log.length = 0;
    await stack.run(context());
    expect(log).toEqual([">check", ">send", "<send", "<check"]);
  });

  it("builds an operation's chain once, and again only after the stack changes", async () => {
    let builds = 0;
    const log: string[] = [];
    // Each build reads the operation's own middleware once: the count of reads is the count of builds.
    const counted = {
      ...operation,
      get middleware() {
        builds++;
        return [{ name: "extra", phase: "validate" as const, middleware: recorder(log, "extra") }];
      },
    };
    const stack = new MiddlewareStack().add(recorder(log, "send"), { name: "send", phase: "transport" });
    for (let i = 0; i < 5; i++) await stack.run(context(counted));
    stack.list(counted);
    expect(builds).toBe(1);
    const changes = [
      () => stack.add(recorder(log, "sign"), { name: "sign", phase: "sign", tags: ["t"] }),
      () => stack.replace("sign", recorder(log, "SIGN")),
      () => stack.remove({ tag: "t" }),
      () => stack.remove("send"),
    ];
    const seen: string[][] = [];
    for (const change of changes) {
      change();
      log.length = 0;
      await stack.run(context(counted));
      seen.push(log.filter((line) => line.startsWith(">")));
      await stack.run(context(counted)); // from the chain just built
    }
    expect(builds).toBe(1 + changes.length);
    expect(seen).toEqual([[">extra", ">sign", ">send"], [">extra", ">SIGN", ">send"], [">extra", ">send"], [">extra"]]);
    // A copy starts with no chains of its own, and changing it leaves this stack's alone.
    const copy = stack.clone();
    await copy.run(context(counted));
    copy.add(recorder(log, "late"), { name: "late", phase: "deserialize" });
    await stack.run(context(counted));
    expect(builds).toBe(2 + changes.length);
  });

  it("lets a call in flight finish with the chain it started with", async () => {
    const log: string[] = [];
    const stack = new MiddlewareStack();
    stack
      .add(
        async (_, next) => {
          stack.remove("send");
          await next();
        },
        { name: "first", phase: "validate" },
      )
      .add(recorder(log, "send"), { name: "send", phase: "transport" });
    await stack.run(context());
    expect(log).toEqual([">send", "<send"]);
    await stack.run(context());
    expect(log).toEqual([">send", "<send"]);
  });

  it.each([
    ["a name already taken", (s: MiddlewareStack) => s.add((_, n) => n(), { name: "a", phase: "sign" }), /already in the stack/],
    ["an unknown phase", (s: MiddlewareStack) => s.add((_, n) => n(), { name: "x", phase: "bogus" as never }), /unknown phase "bogus"/],
    [
      "before a middleware of another phase",
      (s: MiddlewareStack) => s.add((_, n) => n(), { name: "x", phase: "validate", before: "a" }),
      /no "a" in the validate phase/,
    ],
    ["after a missing middleware", (s: MiddlewareStack) => s.add((_, n) => n(), { name: "x", phase: "sign", after: "nope" }), /no "nope"/],
    [
      "both before and after",
      (s: MiddlewareStack) => s.add((_, n) => n(), { name: "x", phase: "sign", before: "a", after: "a" }),
      /not both/,
    ],
    ["replacing a missing middleware", (s: MiddlewareStack) => s.replace("nope", (_, n) => n()), /no middleware "nope"/],
  ])("rejects %s with a message that says what to do", (_, change, message) => {
    const stack = new MiddlewareStack().add((_, next) => next(), { name: "a", phase: "sign" });
    expect(() => change(stack)).toThrow(message);
  });
});
