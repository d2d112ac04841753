// valibot building blocks shared by the lab's file schemas, each with a message that reads after
// the field's name ("layers must be a positive integer (got 0)"), as parseFile writes them.
import * as v from 'valibot';
import { shown } from './fileSchema';

type Got = { input: unknown };
const got = (what: string) => (i: Got) => `${what} (got ${shown(i.input)})`;

export function positiveInt(max?: number) {
  const m = got('must be a positive integer');
  const base = v.pipe(v.number(m), v.integer(m), v.minValue(1, m));
  return max === undefined
    ? base
    : v.pipe(
        base,
        v.maxValue(max, (i: Got) => `is ${shown(i.input)}, more than the lab supports (${max})`),
      );
}

export function nonNegativeInt(max = Number.MAX_SAFE_INTEGER) {
  const m = got('must be a non-negative integer');
  return v.pipe(v.number(m), v.integer(m), v.minValue(0, m), v.maxValue(max, m));
}

export function positiveNumber() {
  const m = got('must be a positive number');
  return v.pipe(v.number(m), v.finite(m), v.gtValue(0, m));
}

export function finiteNumber() {
  const m = got('must be a finite number');
  return v.pipe(v.number(m), v.finite(m));
}

export function flag() {
  return v.boolean(got('must be true or false'));
}

export function text(maxLength = 100_000) {
  const m = got('must be a string');
  return v.pipe(
    v.string(m),
    v.maxLength(maxLength, `must be at most ${maxLength} characters long`),
  );
}

export function list<S extends v.GenericSchema>(item: S, what = 'a list', maxItems = 1_000_000) {
  return v.pipe(
    v.array(item, got(`must be ${what}`)),
    v.maxLength(maxItems, `must have at most ${maxItems} entries`),
  );
}

export function nonEmptyList<S extends v.GenericSchema>(
  item: S,
  what: string,
  maxItems = 1_000_000,
) {
  return v.pipe(list(item, what, maxItems), v.minLength(1, `must be ${what} (got an empty list)`));
}

export function record<S extends v.GenericSchema>(entries: S, what = 'an object') {
  return v.record(v.string(), entries, got(`must be ${what}`));
}
