import { describe, expect, it } from 'vitest';
import { neutraliseCell, neutraliseRow } from './csv-safety.ts';

describe('CSV formula neutralisation', () => {
  it('prefixes cells that a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-2', '@SUM(A1)', '\t=x', '\r=x', '\n=1+1', '\r\n=x'])
      expect(neutraliseCell(v)).toBe(`'${v}`);
    for (const v of ['plain', '', "'=quoted", 'a=b', '1-2']) expect(neutraliseCell(v)).toBe(v);
  });
  it('leaves numbers (negative too) as numbers and nulls empty', () => {
    expect(neutraliseRow([-5, 3, null, '-x'])).toEqual([-5, 3, '', "'-x"]);
  });
});
