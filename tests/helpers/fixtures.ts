import { afterEach } from 'vitest';
import { startServer, type TestServer } from './server.ts';
import { createBoard, joinBoard, seatedSocket, type Partner } from './clients.ts';

/** Registers teardown that runs after each test, last registered first. */
export function useCleanup() {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return (fn: () => unknown) => cleanups.push(fn);
}

/** A server with a seated pair: Ana (mentor) created the board, Ben (mentee) joined. */
export function usePair() {
  const onCleanup = useCleanup();
  return {
    onCleanup,
    async pair(options: Parameters<typeof startServer>[0] = {}): Promise<{ server: TestServer; ana: Partner; ben: Partner }> {
      const server = await startServer(options);
      onCleanup(() => server.stop());
      const ana = await createBoard(server.url, 'Ana', 'mentor');
      const ben = await joinBoard(server.url, ana.boardId, 'Ben');
      return { server, ana, ben };
    },
    /** A connected Socket.IO seat that records every frame it receives. */
    async seat(partner: Partner) {
      const s = await seatedSocket(partner);
      onCleanup(() => s.socket.close());
      return s;
    }
  };
}
