/** Where the Electron binary is, without triggering Electron's download-on-require. */
export function findElectronBinary(): { binary: string; reason?: undefined } | { binary?: undefined; reason: string };
