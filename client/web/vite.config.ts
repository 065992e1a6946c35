// `npm run build:web` builds the page into client/web/dist, which `npm start` serves at `/`.
// `npm run dev:web` serves it with hot reload, the API (SHELFWIRE_API, default :4000) proxied.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.SHELFWIRE_API ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/dev': api,
    },
  },
});
