// Turns untrusted input (a URL value, a slider, a pasted link) into a valid setting value.
// Never throws: a value out of range is clamped, an unknown one rejected, each with a reason.
import type { Field } from './settingsSchema';

export type Coerced =
  { ok: true; value: string | number | boolean; note?: string } | { ok: false; note: string };

function clampNumber(field: { min: number; max: number }, n: number, integer: boolean): Coerced {
  const v = integer ? Math.round(n) : n;
  if (v < field.min)
    return { ok: true, value: field.min, note: `raised to the minimum ${field.min}` };
  if (v > field.max)
    return { ok: true, value: field.max, note: `lowered to the maximum ${field.max}` };
  return { ok: true, value: v };
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function coerceSetting(field: Field, raw: unknown): Coerced {
  switch (field.kind) {
    case 'int':
    case 'float': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && NUMBER_TEXT.test(raw.trim())
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(n)) return { ok: false, note: 'is not a number' };
      return clampNumber(field, n, field.kind === 'int');
    }
    case 'enum': {
      const s = String(raw);
      if ((field.values as readonly string[]).includes(s)) return { ok: true, value: s };
      return { ok: false, note: `is not one of ${field.values.join(', ')}` };
    }
    case 'bool': {
      if (raw === true || raw === '1' || raw === 'true') return { ok: true, value: true };
      if (raw === false || raw === '0' || raw === 'false') return { ok: true, value: false };
      return { ok: false, note: 'is not 0 or 1' };
    }
    case 'text': {
      if (typeof raw !== 'string') return { ok: false, note: 'is not text' };
      // Control characters other than newline and tab have no business in a prompt.
      // eslint-disable-next-line no-control-regex
      const cleaned = raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
      if (cleaned.length > field.maxLength) {
        return {
          ok: true,
          value: cleaned.slice(0, field.maxLength),
          note: `cut to ${field.maxLength} characters`,
        };
      }
      return cleaned === raw
        ? { ok: true, value: cleaned }
        : { ok: true, value: cleaned, note: 'control characters removed' };
    }
  }
}
