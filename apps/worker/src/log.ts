import type { VclmLogger } from "@vclm/core";

const LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * `console` as the coordinator's logger when `VCLM_LOG` names a level (`debug`, `info`, `warn`,
 * `error`): the events at that level and above, each one object (Workers Logs and `wrangler tail`
 * show its fields). Without it, or with another word, nothing is logged and `observe` is not used.
 */
export function consoleAt(level: string | undefined): VclmLogger | undefined {
  const least = LEVELS.indexOf(level as (typeof LEVELS)[number]);
  if (least < 0) return undefined;
  const at = (name: (typeof LEVELS)[number]) => (LEVELS.indexOf(name) >= least ? console[name].bind(console) : () => {});
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
