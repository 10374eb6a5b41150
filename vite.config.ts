import { defineConfig } from 'vite';
import { meetergoDevServer } from './demo/dev-server.js';

// `npm start`: the demo page (index.html) with the reference proxy on the same origin.
export default defineConfig({
  server: { port: 5173, strictPort: true, host: 'localhost' },
  preview: { port: 4173, host: 'localhost' },
  plugins: [meetergoDevServer()],
});
