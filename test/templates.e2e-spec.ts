import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, projectPath } from '../src/config/app-config';
import { EmailRenderer } from '../src/notifications/email-renderer';
import { PageRenderer } from '../src/pages/page-renderer';
import { EMAIL_SAMPLES, PAGE_SAMPLES } from './fixtures/template-samples';

/**
 * English words that have no business in an Uzbek or Russian template outside `{{…}}`: a sentence left untranslated
 * shows at least one of them. (PDF, QR, SHA-256 and e-mail addresses are not words of either language and stay.)
 */
const ENGLISH = [
  'the', 'and', 'you', 'your', 'please', 'dear', 'thank', 'with', 'link', 'account', 'password', 'document', 'request',
  'sign', 'click', 'open', 'here', 'mission', 'registration', 'status', 'valid', 'until', 'reason', 'download', 'confirm',
  'expired', 'submit', 'page', 'button', 'check', 'not', 'has', 'been', 'will', 'for', 'this', 'that', 'from', 'alert',
];
const ENGLISH_WORD = new RegExp(`\\b(${ENGLISH.join('|')})\\b`, 'i');

/** The text of a template a reader sees: without `{{…}}`, URLs, e-mail addresses and (in pages) markup. */
const visibleText = (source: string) =>
  source
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+|\S+@\S+/g, ' ');

const englishLeft = (text: string) => ENGLISH_WORD.exec(visibleText(text))?.[0] ?? null;

describe('Every e-mail and page template in every language', () => {
  let dataDir: string;
  let config: AppConfig;
  let emails: EmailRenderer;
  let pages: PageRenderer;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'templates-'));
    config = AppConfig.fromEnvironment({ NODE_ENV: 'test', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://consular.test' });
    emails = new EmailRenderer(config);
    pages = new PageRenderer(config);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const emailDir = projectPath('templates', 'email');
  const emailTemplates = readdirSync(emailDir).filter((name) => statSync(join(emailDir, name)).isDirectory()).sort();
  const pageTemplates = readdirSync(projectPath('templates', 'pages'))
    .filter((file) => file.endsWith('.html.hbs') && file !== 'layout.html.hbs')
    .map((file) => file.slice(0, -'.html.hbs'.length))
    .sort();

  it('finds the templates, and a sample for each', () => {
    expect(emailTemplates.length).toBeGreaterThanOrEqual(15);
    expect(pageTemplates.length).toBeGreaterThanOrEqual(10);
    expect(emailTemplates.filter((name) => !EMAIL_SAMPLES[name]).map((name) => `templates/email/${name}: add a sample to test/fixtures/template-samples.ts`)).toEqual([]);
    expect(pageTemplates.filter((name) => !PAGE_SAMPLES[name]).map((name) => `templates/pages/${name}: add a sample to test/fixtures/template-samples.ts`)).toEqual([]);
  });

  describe.each(emailTemplates)('e-mail %s', (name) => {
    it.each(['uz', 'ru', 'en'])('renders in %s with every part, every variable, and no English left in uz or ru', (lang) => {
      const path = join(emailDir, name, `${lang}.hbs`);
      expect(existsSync(path)).toBe(true);
      const rendered = emails.render(name, lang, EMAIL_SAMPLES[name] ?? {});
      expect(rendered.subject.trim()).not.toBe('');
      expect(rendered.text.trim().length).toBeGreaterThan(40);
      expect(rendered.html).toContain(`lang="${lang}"`);
      for (const part of [rendered.subject, rendered.text, rendered.html]) expect(part).not.toMatch(/undefined|\[object Object\]|\{\{/);
      if (lang !== 'en') expect(englishLeft(readFileSync(path, 'utf8'))).toBeNull();
    });
  });

  describe.each(pageTemplates)('page %s', (name) => {
    it.each(['uz', 'ru', 'en'])('renders in %s with a title, a body, every variable, and captions in the language', (lang) => {
      const sample = PAGE_SAMPLES[name] ?? { context: {} };
      const page = pages.render(name, lang, sample.context, sample.options ?? {});
      const title = /<title>([^<]*)<\/title>/.exec(page.html)?.[1] ?? '';
      const main = /<main>([\s\S]*)<\/main>/.exec(page.html)?.[1] ?? '';
      expect(title.trim()).not.toBe('');
      expect(visibleText(main).trim()).not.toBe('');
      expect(page.html).toContain(`<html lang="${lang}">`);
      expect(page.html).not.toMatch(/undefined|\[object Object\]|\{\{|<script/i);
    });
  });

  it('has captions in every page language with no English left in the uz and ru ones', () => {
    const dir = projectPath('templates', 'pages');
    const left: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.captions.json'))) {
      const captions = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, Record<string, string>>;
      for (const lang of ['uz', 'ru']) {
        for (const [key, text] of Object.entries(captions[lang] ?? {})) {
          const word = englishLeft(text);
          if (word) left.push(`${file} ${lang}.${key}: "${word}" in "${text}"`);
        }
      }
    }
    expect(left).toEqual([]);
  });

  it('fails on a template variable the sample lacks (strict mode), so a missing value cannot pass unseen', () => {
    const { link: _omitted, ...withoutLink } = EMAIL_SAMPLES['verify-email'];
    expect(() => emails.render('verify-email', 'ru', withoutLink)).toThrow(/link/);
    const { token: _token, ...withoutToken } = PAGE_SAMPLES['verify-email'].context;
    expect(() => pages.render('verify-email', 'ru', withoutToken)).toThrow(/token/);
  });

  it('finds English in a template that has some, and none in a translated sentence', () => {
    expect(englishLeft('subject: Ваш документ\n---\nPlease open the link: {{link}}')).toBe('Please');
    expect(englishLeft('Скачайте PDF по ссылке {{link}} или https://consular.test/the/page')).toBeNull();
  });
});
