// How every browser test here launches Debian's Chromium with playwright-core: headless, as root,
// and off the network (this machine reaches only package registries; without these flags Chromium
// keeps trying Google's hosts).
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

/** playwright-core launch options for the machine's Chromium (CHROMIUM_PATH, else /usr/bin/chromium). */
export const chromiumLaunchOptions = () => ({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
