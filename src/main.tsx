import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { ErrorBoundary } from './shell/ErrorBoundary';
import { registerServiceWorker } from './loading/registerServiceWorker';
import { startSettingsBridge } from './engine/settingsBridge';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Lab resources (a GPU device, a model pack, a benchmark run) are not refetched behind
    // the user's back; they reload when asked.
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});

// Settings flow one way: store → bridge → engine worker → run store → views.
startSettingsBridge();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary where="the lab">
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);

// Offline support: precaches the built site after the first visit (no-op in dev).
void registerServiceWorker();
