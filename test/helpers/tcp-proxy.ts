// A TCP proxy in the test process between the service and PostgreSQL, to take the database
// away and bring it back without touching the server (which other work shares).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export interface TcpProxy {
  readonly port: number;
  /** Connections are refused and open ones reset, as when the server stops. */
  down(): Promise<void>;
  /** Connections are accepted and never answered, as behind a network partition. */
  blackhole(): Promise<void>;
  /** Traffic flows to the target again. */
  up(): Promise<void>;
}

type Mode = 'up' | 'blackhole';

/** `initially: 'down'` reserves the port but does not listen yet: nothing answers there at start. */
export async function startTcpProxy(target: { host: string; port: number }, initially: Mode | 'down' = 'up'): Promise<TcpProxy> {
  let mode: Mode = 'up';
  let server: Server | null = null;
  const open = new Set<Socket>();

  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => open.delete(socket));
    return socket;
  };
  const resetAll = () => {
    for (const socket of open) socket.resetAndDestroy();
    open.clear();
  };
  const onConnection = (client: Socket) => {
    track(client);
    const upstream = track(connect(target.port, target.host));
    // Bytes flow only while up: a blackhole drops them on connections old and new alike.
    client.on('data', (chunk: Buffer) => mode === 'up' && upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => mode === 'up' && client.write(chunk));
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as { port: number }).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = null;
      if (current === null) return resolve();
      current.close(() => resolve());
    });

  const port = await listen(0);
  if (initially === 'down') await stopListening();
  else mode = initially;

  const proxy: TcpProxy = {
    port,
    async down() {
      resetAll();
      await stopListening();
    },
    async blackhole() {
      mode = 'blackhole';
      if (server === null) await listen(port);
    },
    async up() {
      // Connections that lost bytes in a blackhole are out of step with the server: reset them.
      if (mode === 'blackhole') resetAll();
      mode = 'up';
      if (server === null) await listen(port);
    },
  };
  onTestFinished(() => proxy.down());
  return proxy;
}
