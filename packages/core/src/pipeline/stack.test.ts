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
