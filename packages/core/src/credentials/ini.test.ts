import { describe, expect, it } from "vitest";
import { parseIni } from "./ini.js";

describe("parseIni", () => {
  it("reads sections, key = value (spaces or none), comments, quotes, CRLF and a BOM", () => {
    const text = '\uFEFF# mine\r\n[default]\r\nsecret_id = AKIDa\r\nsecret_key=b=c\r\n; old\r\n\r\n[ci]\r\ntoken = "quoted value"\r\n';
    const parsed = parseIni(text);
    expect("sections" in parsed && Object.fromEntries([...parsed.sections].map(([k, v]) => [k, Object.fromEntries(v)]))).toEqual({
      default: { secret_id: "AKIDa", secret_key: "b=c" },
      ci: { token: "quoted value" },
    });
  });

  it("refuses a line that is neither, or a key before any section, by line number and never by its text", () => {
    expect(parseIni("[default]\nsecret_id = a\nAKIDleaked-secret\n")).toEqual({
      badLine: 3,
      problem: "is neither a [section] nor key = value",
    });
    expect(parseIni("secret_id = a\n[default]\n")).toEqual({ badLine: 1, problem: "is a key = value before any [section]" });
  });
});
