import { AppShell } from './shell/AppShell';
import { useHashSync } from './state/useHashSync';

export function App() {
  useHashSync();
  return <AppShell />;
}
