import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // The Express server in server/ owns CSRF-sensitive endpoints (/api) and checks Origin itself.
    csrf: { trustedOrigins: [] }
  }
};
