/** Repeated candidate lists of a request become one shared array. */
import { describe, expect, it } from 'vitest';
import { shareCandidateLists } from '../../src/service/validation/sharedLists.js';

describe('shareCandidateLists', () => {
  it('makes a list equal to the one before it that same array, and leaves others alone', () => {
    const layers = [
      { candidates: ['int4/int4', 'int8/int8'] },
      { candidates: ['int4/int4', 'int8/int8'] },
      {},
      { candidates: ['int4/int4', 'int8/int8'] },
      { candidates: ['int8/int8', 'int4/int4'] },
      { candidates: ['int8/int8'] },
      { candidates: ['int8/int8'] },
    ];
    const given = layers.map((layer) => layer.candidates);
    shareCandidateLists(layers);
    expect(layers[1]!.candidates).toBe(layers[0]!.candidates);
    expect(layers[3]!.candidates).toBe(layers[0]!.candidates); // a layer without a list in between
    expect(layers[4]!.candidates).toBe(given[4]); // same ids, another order: a list of its own
    expect(layers[5]!.candidates).toBe(given[5]);
    expect(layers[6]!.candidates).toBe(layers[5]!.candidates);
    expect(layers[2]).toEqual({});
    // Contents never change.
    expect(layers.map((layer) => layer.candidates)).toEqual(given);
  });
});
