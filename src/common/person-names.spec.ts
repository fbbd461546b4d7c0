import fc from 'fast-check';
import { nameKey, sameName } from './person-names';

describe('sameName', () => {
  it.each([
    ['Akmal Shukurov', 'SHUKUROV  Akmal'],
    ['Gʻofur Oʻrinov', "G'ofur O'rinov"],
    ['José Müller-Lüdenscheidt', 'Jose Muller Ludenscheidt'],
  ])('treats %s and %s as one name', (a, b) => expect(sameName(a, b)).toBe(true));

  it.each([
    ['Akmal Shukurov', 'Akbar Shukurov'],
    ['Акмал Шукуров', 'Akmal Shukurov'],
    ['Akmal Shukurov', 'Akmal Shukurov Karimovich'],
  ])('tells %s from %s', (a, b) => expect(sameName(a, b)).toBe(false));

  it('does not depend on word order or letter case', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-zÀ-ž]{1,12}$/), { minLength: 1, maxLength: 4 }), (words) => {
        const shuffled = [...words].reverse().map((w) => w.toUpperCase());
        return nameKey(words.join(' ')) === nameKey(shuffled.join(' '));
      }),
    );
  });
});
