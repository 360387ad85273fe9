import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // Our server owns PORT/HOST/ORIGIN; the adapter reads only its own prefixed variables.
    adapter: adapter({ out: 'build', precompress: true, envPrefix: 'PAIRBOARD_KIT_' }),
  }
};
