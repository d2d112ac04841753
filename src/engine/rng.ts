// Sampling draws from the same seeded PRNG (mulberry32) as the kernels' test data, so a
// generation is reproducible from its seed.
import { rng } from '../kernels/random';

export type Rng = () => number;

export const seededRng: (seed: number) => Rng = rng;
