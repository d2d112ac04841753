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

/** One notice; `details` lists the items of a group (a link's repairs), all of them. */
export type Notice = { id: number; text: string; tone: 'info' | 'warning'; details: string[] };

/** Notices shown at once; older ones are removed, and counted in `droppedNotices`. */
export const MAX_NOTICES = 6;

type LabState = {
  panel: PanelId;
  settings: LabSettings;
  notices: Notice[];
  /** How many notices were removed to keep the list at MAX_NOTICES (said on screen). */
  droppedNotices: number;
  setPanel: (panel: PanelId) => void;
  setSetting: <K extends SettingKey>(key: K, value: LabSettings[K]) => void;
  applyDecodedHash: (decoded: DecodedHash) => void;
  addNotice: (text: string, tone?: Notice['tone'], details?: string[]) => void;
  dismissNotice: (id: number) => void;
  dismissDroppedCount: () => void;
};

let nextNoticeId = 1;

export const useLabStore = create<LabState>()((set, get) => ({
  panel: DEFAULT_PANEL,
  settings: defaultSettings(),
  notices: [],
  droppedNotices: 0,
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
    // A link's repairs are one group: a hostile link cannot push every other notice out, and
    // none of its repairs is lost.
    if (notices.length === 1) get().addNotice(notices[0]!, 'warning');
    else if (notices.length > 1)
      get().addNotice('The link was repaired; what was changed or ignored:', 'warning', notices);
  },
  addNotice: (text, tone = 'info', details = []) =>
    set((s) => {
      const kept = [
        ...s.notices.filter((n) => n.text !== text),
        { id: nextNoticeId++, text, tone, details },
      ];
      // A flood of notices is itself unreadable: keep the newest few and say how many went.
      const over = Math.max(0, kept.length - MAX_NOTICES);
      return { notices: kept.slice(over), droppedNotices: s.droppedNotices + over };
    }),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  dismissDroppedCount: () => set({ droppedNotices: 0 }),
}));
