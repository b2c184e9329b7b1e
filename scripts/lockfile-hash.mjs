// The SHA-256 of pnpm-lock.yaml: what bootstrap.sh and vclm.sh write and compare to skip an
// install that has nothing new to install.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

process.stdout.write(
  createHash("sha256")
    .update(readFileSync(new URL("../pnpm-lock.yaml", import.meta.url)))
    .digest("hex"),
);
