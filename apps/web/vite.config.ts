import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Workspace packages export TypeScript source; Vite compiles them with the app.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/files': 'http://127.0.0.1:3000' } },
  build: { chunkSizeWarningLimit: 8000, sourcemap: false },
});
