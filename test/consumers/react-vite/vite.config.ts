import { defineConfig } from 'vite';

// No React plugin needed for a production build: esbuild compiles the JSX.
export default defineConfig({ esbuild: { jsx: 'automatic' } });
