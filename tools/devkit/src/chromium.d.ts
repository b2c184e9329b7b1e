/** Chromium's command-line flags for headless tests on this machine. */
export const CHROMIUM_ARGS: string[];
/** playwright-core launch options for the machine's Chromium. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] };
