import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';
import type { AppBackend } from './backend';
import { createTrpcBackend } from './trpcBackend';

async function chooseBackend(): Promise<AppBackend> {
  // Only the browser-test build (vite build --mode e2e) contains the in-memory
  // backend; production builds drop this branch and always talk to the server.
  if (import.meta.env.MODE === 'e2e') {
    const { createMemoryBackend } = await import('./testing/memoryBackend');
    return createMemoryBackend();
  }
  return createTrpcBackend();
}

const root = document.getElementById('root');
if (root) {
  void chooseBackend().then((backend) =>
    createRoot(root).render(
      <StrictMode>
        <App backend={backend} />
      </StrictMode>,
    ),
  );
}
