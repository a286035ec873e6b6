import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './app.css';
import type { AppBackend } from './backend';
// The citizen's pages (#/intake, #/track): a phone loads these and not the staff app.
import { PublicApp } from './pages/intake/PublicApp';
import { isPublic, useRoute } from './router';

async function chooseBackend(): Promise<AppBackend> {
  // Only the browser-test build (vite build --mode e2e) contains the in-memory
  // backend; production builds drop this branch and always talk to the server.
  if (import.meta.env.MODE === 'e2e') {
    const { createMemoryBackend } = await import('./testing/memoryBackend');
    return createMemoryBackend();
  }
  const { createTrpcBackend } = await import('./trpcBackend');
  return createTrpcBackend();
}

/** The staff app (antd, sign-in, every page), loaded only when a staff route opens. */
const StaffApp = lazy(async () => {
  const [{ App }, backend] = await Promise.all([import('./App'), chooseBackend()]);
  return { default: () => <App backend={backend} /> };
});

function Root() {
  const route = useRoute();
  return (
    <Suspense fallback={null}>
      {isPublic(route) ? <PublicApp route={route} /> : <StaffApp />}
    </Suspense>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
