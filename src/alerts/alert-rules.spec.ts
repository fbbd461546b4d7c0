import { answerProblems, areaProblems, contentProblems, normaliseContent, recipientLanguage } from './alert-rules';

const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('alert rules', () => {
  const languages = ['uz', 'ru', 'en'];

  it('accepts content in the state’s languages with a title and body within limits', () => {
    expect(contentProblems({ uz: { title: 'Diqqat', body: 'Uyda qoling.' }, en: { title: 'Alert', body: 'Stay home.', instructions: 'Close windows.' } }, languages)).toEqual([]);
  });

  it('names each field of the content at fault', () => {
    expect(fields(contentProblems({}, languages))).toEqual(['content']);
    expect(fields(contentProblems({ de: { title: 'Achtung', body: 'Zu Hause bleiben.' } }, languages))).toEqual(['content.de']);
    expect(fields(contentProblems({ en: 'Stay home' }, languages))).toEqual(['content.en']);
    expect(fields(contentProblems({ en: { title: '  ', body: 'x'.repeat(5001), instructions: 7, extra: 'no' } }, languages)).sort()).toEqual(
      ['content.en.body', 'content.en.extra', 'content.en.instructions', 'content.en.title'].sort(),
    );
    expect(fields(contentProblems({ en: { title: 'x'.repeat(200), body: 'x'.repeat(5000) } }, languages))).toEqual([]);
  });

  it('trims texts and keeps the order written', () => {
    const content = normaliseContent({ ru: { title: ' Внимание ', body: ' Текст ', instructions: '  ' }, en: { title: 'Alert', body: 'Text' } });
    expect(Object.keys(content)).toEqual(['ru', 'en']);
    expect(content.ru).toEqual({ title: 'Внимание', body: 'Текст' });
  });

  it('keeps an area within the mission’s jurisdiction and never empty', () => {
    expect(areaProblems({ countries: ['US', 'CA'], regions: ['MX-CMX'] }, ['US', 'CA', 'MX'])).toEqual([]);
    expect(areaProblems({ circle: { lat: 0, lon: 0, radiusKm: 10 } }, ['DE'])).toEqual([]);
    expect(fields(areaProblems({}, ['DE']))).toEqual(['area']);
    expect(fields(areaProblems({ countries: ['FR'], regions: ['FR-IDF'] }, ['DE']))).toEqual(['area.countries', 'area.regions']);
  });

  it('gives each person their own language when the alert has it, else the first written', () => {
    expect(recipientLanguage(['ru', 'en'], 'en')).toBe('en');
    expect(recipientLanguage(['ru', 'en'], 'uz')).toBe('ru');
    expect(recipientLanguage(['uz'], null)).toBe('uz');
  });

  it('checks answers that do not come through a DTO', () => {
    expect(answerProblems({ status: 'safe' })).toEqual([]);
    expect(answerProblems({ status: 'need_help', message: 'Help', location: { lat: -33.9, lon: 151.2 } })).toEqual([]);
    expect(fields(answerProblems({ status: 'maybe', message: 'x'.repeat(1001), location: { lat: 91, lon: 0 } }))).toEqual(['status', 'message', 'location']);
    expect(fields(answerProblems({ status: 'safe', location: { lat: Number.NaN, lon: 0 } }))).toEqual(['location']);
  });
});
