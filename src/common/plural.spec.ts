import Handlebars from 'handlebars';
import { pluralForm, pluralHelper } from './plural';

describe('plural forms', () => {
  const days = { one: 'день', few: 'дня', many: 'дней', other: 'дня' };

  it.each([
    [1, 'день'],
    [2, 'дня'],
    [5, 'дней'],
    [11, 'дней'],
    [21, 'день'],
    [22, 'дня'],
    [112, 'дней'],
  ])('says %i %s in Russian', (count, word) => {
    expect(pluralForm('ru', count, days)).toBe(word);
  });

  it('says 1 year and 2 years in English, and one form in Uzbek', () => {
    expect(pluralForm('en', 1, { one: 'year', other: 'years' })).toBe('year');
    expect(pluralForm('en', 2, { one: 'year', other: 'years' })).toBe('years');
    expect(pluralForm('uz', 1, { one: 'yil', other: 'yil' })).toBe('yil');
    expect(pluralForm('uz', 7, { other: 'yil' })).toBe('yil');
  });

  it('renders as a Handlebars helper in the language of the context', () => {
    const hb = Handlebars.create();
    hb.registerHelper('plural', pluralHelper);
    const template = hb.compile('{{plural n one="день" few="дня" many="дней" other="дня"}}', { strict: true });
    expect(template({ n: 3, lang: 'ru' })).toBe('3 дня');
    expect(template({ n: 25, language: 'ru' })).toBe('25 дней');
    expect(() => template({ n: 'three', lang: 'ru' })).toThrow(/number/);
    expect(() => hb.compile('{{plural n}}')({ n: 2, lang: 'ru' })).toThrow(/No plural form/);
  });
});
