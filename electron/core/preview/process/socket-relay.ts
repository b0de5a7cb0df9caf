// The host end of the bridge. The folder the bridge's socket sits in is writable by the
// app (it has to be: the bridge inside creates the socket), so the app could replace
// app.sock with a symlink to a host socket (Docker's, snapd's: both speak HTTP) and have
// the preview proxy talk to it. So the proxy never connects to that path: it connects to
// this relay, in a folder the sandbox cannot see, which opens the bridge's socket without
// following links (O_PATH | O_NOFOLLOW), checks it is a socket on the run folder's own
// filesystem, and connects to exactly that inode through /proc/self/fd.
import fs from 'node:fs';
import net from 'node:net';

/** Linux's O_PATH (the same value on x86-64 and arm64); Node does not export it. */
const O_PATH = 0o10000000;

export interface SocketRelay {
  /**
   * Send new connections to another bridge socket in the same folder (a restarted server's),
   * and close the ones to the old: the proxy's kept-alive connections would otherwise go on
   * reaching the old server until it is gone, then fail once.
   */
  setTarget(bridgeSocketPath: string): void;
  /** A connection to that bridge socket, opened the same careful way (the readiness probe); null: not there. */
  connect(bridgeSocketPath: string): net.Socket | null;
  close(): Promise<void>;
}

/** An fd for the bridge's socket itself, or null when the path is not a socket made in the run folder. */
function openBridgeSocket(bridgeSocketPath: string, expectedDev: number): number | null {
  let fd: number;
  try {
    fd = fs.openSync(bridgeSocketPath, O_PATH | fs.constants.O_NOFOLLOW);
  } catch {
    return null; // not there yet (the bridge is starting)
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isSocket() && stat.dev === expectedDev) return fd;
  } catch {
    // fall through: refused
  }
  fs.closeSync(fd);
  return null;
}

function connectBridge(bridgeSocketPath: string, expectedDev: number): net.Socket | null {
  if (process.platform !== 'linux') return net.connect(bridgeSocketPath);
  const fd = openBridgeSocket(bridgeSocketPath, expectedDev);
  if (fd === null) return null;
  const upstream = net.connect(`/proc/self/fd/${fd}`);
  const release = () => {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
  };
  upstream.once('connect', release);
  upstream.once('error', release);
  return upstream;
}

/** Listen on `hostSocketPath` and pipe each connection to the bridge's socket in `boxDir`. */
export function startSocketRelay(hostSocketPath: string, bridgeSocketPath: string, boxDir: string): Promise<SocketRelay> {
  const expectedDev = fs.statSync(boxDir).dev;
  let target = bridgeSocketPath;
  const open = new Set<net.Socket>();
  /** Which bridge socket each client connection was piped to. */
  const clients = new Map<net.Socket, string>();
  const server = net.createServer((client) => {
    open.add(client);
    clients.set(client, target);
    client.on('close', () => {
      open.delete(client);
      clients.delete(client);
    });
    client.on('error', () => client.destroy());
    const upstream = connectBridge(target, expectedDev);
    // No bridge (yet), or something that is not its socket: the proxy sees a closed connection.
    if (!upstream) return client.destroy();
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(hostSocketPath, () => {
      server.off('error', reject);
      resolve({
        setTarget: (next) => {
          target = next;
          for (const [client, to] of clients) if (to !== next) client.destroy();
        },
        connect: (path) => connectBridge(path, expectedDev),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
