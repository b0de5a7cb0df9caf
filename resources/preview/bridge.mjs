// The in-sandbox half of a preview's port bridge (issue 14). Plain JS, no dependencies:
// MACS copies this file into the run's socket folder and starts it beside the app, with
// the node that runs MACS (ELECTRON_RUN_AS_NODE=1 under Electron).
//
// Why a unix-socket bridge: the app runs in its own network namespace with only a
// loopback of its own, so nothing it opens is reachable from the host and it reaches
// nothing outside. One host folder is bound into the sandbox; this script listens on a
// unix socket there and pipes each connection to the app's port inside. The host side
// (MACS's preview proxy, on 127.0.0.1) connects to that socket. Same idea as
// @anthropic-ai/sandbox-runtime; no slirp/pasta, no capabilities, no port left open on
// the host by the app itself.
//
//   node bridge.mjs <socket path>        env PORT: the port the app was asked to use
//
// Which port: $PORT when something listens there, else the first listening TCP socket
// in /proc/net/tcp and tcp6 (this namespace's only), so apps that hard-code 5173 or
// 8000 still work. Tried on 127.0.0.1, then ::1.
import fs from 'node:fs';
import net from 'node:net';

const socketPath = process.argv[2];
const askedPort = Number(process.env.PORT) || 0;
if (!socketPath) {
  process.stderr.write('[macs bridge] usage: bridge.mjs <socket path>\n');
  process.exit(2);
}

const LISTEN = '0A';

/** Listening ports of this network namespace, with the address family they listen on. */
function listeningSockets() {
  const out = [];
  for (const [file, family] of [['/proc/net/tcp', 4], ['/proc/net/tcp6', 6]]) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== LISTEN) continue;
      const [address, portHex] = fields[1].split(':');
      out.push({ port: parseInt(portHex, 16), family, anyAddress: /^0+$/.test(address) });
    }
  }
  return out;
}

/** Where to connect, best first. */
function candidates() {
  const listening = listeningSockets();
  const ports = [];
  if (askedPort && (listening.length === 0 || listening.some((s) => s.port === askedPort))) ports.push(askedPort);
  for (const s of listening) if (!ports.includes(s.port)) ports.push(s.port);
  if (ports.length === 0 && askedPort) ports.push(askedPort);
  const out = [];
  for (const port of ports) {
    const v6Only = listening.length > 0 && listening.filter((s) => s.port === port).every((s) => s.family === 6 && !s.anyAddress);
    for (const host of v6Only ? ['::1', '127.0.0.1'] : ['127.0.0.1', '::1']) out.push({ port, host });
  }
  return out;
}

function connectOnce(target) {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    const done = (ok) => {
      socket.removeAllListeners('connect');
      socket.removeAllListeners('error');
      if (!ok) socket.destroy();
      resolve(ok ? socket : null);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function connectApp() {
  for (const target of candidates()) {
    const socket = await connectOnce(target);
    if (socket) return socket;
  }
  return null;
}

try {
  fs.unlinkSync(socketPath);
} catch {
  // not there yet
}

const server = net.createServer((client) => {
  client.pause();
  client.on('error', () => client.destroy());
  connectApp().then((app) => {
    // Nothing listens yet: closing says "not ready" to the host's probe (no HTTP answer).
    if (!app) return client.destroy();
    app.on('error', () => client.destroy());
    client.on('close', () => app.destroy());
    app.on('close', () => client.destroy());
    client.pipe(app);
    app.pipe(client);
    client.resume();
  });
});
server.on('error', (err) => {
  process.stderr.write(`[macs bridge] ${err.message}\n`);
  process.exit(1);
});
server.listen(socketPath, () => {
  try {
    fs.chmodSync(socketPath, 0o600);
  } catch {
    // the folder is 0700 already
  }
});
