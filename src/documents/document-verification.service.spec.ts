import { maskName } from './document-verification.service';

describe('maskName', () => {
  it('keeps the first letter of each word and one star per other letter', () => {
    expect(maskName('Dilshod Karimov')).toBe('D****** K******');
    expect(maskName('Дилшод Каримов')).toBe('Д***** К******');
  });

  it('counts letters, not UTF-16 units or modifier marks apart, and collapses spacing', () => {
    expect(maskName('  Oʻgʻiloy   Toshmatova ')).toBe('O******* T*********');
    expect(maskName('𝒜li')).toBe('𝒜**');
  });

  it('never shows more than the initials', () => {
    const masked = maskName('Anna-Maria van der Berg');
    expect(masked.replace(/\*/g, '')).toBe('A v d B');
  });
});
