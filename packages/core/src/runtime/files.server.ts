/// <reference types="node" />
// Files and the home folder, for the runtimes that have them (Node, Deno, Bun): chosen by the
// package's "#files" import condition, so Workers and browsers bundle files.edge.ts instead.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";

/** Whether this runtime reads files. */
export const canReadFiles = true;

/** A UTF-8 file's text. Rejects with the runtime's error (`code: "ENOENT"` when it is not there). */
export const readTextFile = (path: string): Promise<string> => readFile(path, "utf8");

/** The user's home folder, or undefined when it cannot be told. */
export function homeDirectory(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined; // Deno without --allow-env or --allow-sys
  }
}
