import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the realtime server runs as its own process (pnpm --filter @pairboard/server dev);
// Vite proxies the API and both websocket endpoints to it so the browser sees a single origin.
const realtimeServer = process.env.PAIRBOARD_DEV_SERVER ?? 'http://127.0.0.1:3001';

export default defineConfig({
  plugins: [sveltekit()],
  resolve: { dedupe: ['yjs'] },
  server: {
    proxy: {
      '/api': realtimeServer,
      '/healthz': realtimeServer,
      '/socket.io': { target: realtimeServer, ws: true },
      '/yjs': { target: realtimeServer, ws: true }
    }
  }
});
