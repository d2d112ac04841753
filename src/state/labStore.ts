// The lab's settings store. Every change goes through `setSetting`, which validates with the
// same schema as the URL codec, so the store never holds a value the codec would refuse.
import { create } from 'zustand';
import { coerceSetting } from './coerceSetting';
import {
  SETTINGS_SCHEMA,
  defaultSettings,
  type LabSettings,
  type SettingKey,
} from './settingsSchema';
import { DEFAULT_PANEL, type PanelId } from './panelIds';
import type { DecodedHash } from './urlHash';

export type Notice = { id: number; text: string; tone: 'info' | 'warning' };

type LabState = {
  panel: PanelId;
  settings: LabSettings;
  notices: Notice[];
  setPanel: (panel: PanelId) => void;
  setSetting: <K extends SettingKey>(key: K, value: LabSettings[K]) => void;
  applyDecodedHash: (decoded: DecodedHash) => void;
  addNotice: (text: string, tone?: Notice['tone']) => void;
  dismissNotice: (id: number) => void;
};

let nextNoticeId = 1;

export const useLabStore = create<LabState>()((set, get) => ({
  panel: DEFAULT_PANEL,
  settings: defaultSettings(),
  notices: [],
  setPanel: (panel) => set({ panel }),
  setSetting: (key, value) => {
    const result = coerceSetting(SETTINGS_SCHEMA[key], value);
    if (!result.ok) {
      get().addNotice(`${key} ${result.note}; kept ${String(get().settings[key])}.`, 'warning');
      return;
    }
    if (result.note) get().addNotice(`${key} ${result.note}.`, 'warning');
    set((s) => ({ settings: { ...s.settings, [key]: result.value } }));
  },
  applyDecodedHash: ({ panel, settings, notices }) => {
    set({ panel, settings });
    for (const text of notices) get().addNotice(text, 'warning');
  },
  addNotice: (text, tone = 'info') =>
    set((s) => ({
      // Keep the newest few; a flood of notices is itself unreadable.
      notices: [
        ...s.notices.filter((n) => n.text !== text),
        { id: nextNoticeId++, text, tone },
      ].slice(-6),
    })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
