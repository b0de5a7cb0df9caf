/** Where the Electron binary is, without triggering Electron's download-on-require. */
export function findElectronBinary(): { binary: string; reason?: undefined } | { binary?: undefined; reason: string };
/** The electron package's own downloader script (install.js), or null when the package is missing. */
export function electronInstallScript(): string | null;
