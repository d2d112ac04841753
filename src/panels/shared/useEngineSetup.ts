// A view that draws the engine's data is open: the settings bridge loads the model (once) and
// from then on keeps the engine in line with the settings, whichever views are open.
import { useEffect } from 'react';
import { activateEngine } from '../../engine/settingsBridge';

export function useEngineSetup(): void {
  useEffect(() => activateEngine(), []);
}
