import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../config/app-config';
import { loadPageCatalogue } from './page-catalogue';

describe('loadPageCatalogue', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const captions = (value: Record<string, Record<string, string>>) => JSON.stringify(value);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pages-'));
    write('layout.html.hbs', '<html lang="{{lang}}"><title>{{title}}</title><nav aria-label="{{t.languages}}"></nav>{{body}}</html>');
    write('layout.captions.json', captions({ en: { languages: 'Language' }, ru: { languages: 'Язык' } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every page of the project in every language of the state', () => {
    const catalogue = loadPageCatalogue(projectPath('templates', 'pages'), ['uz', 'ru', 'en']);
    expect([...catalogue.pages.keys()]).toEqual(expect.arrayContaining(['problem', 'verify', 'verify-not-found']));
  });

  it('renders a page with its captions, and gives a page that extends another that one’s captions', () => {
    write('hello.html.hbs', 'title: {{t.greeting}}\n---\n<p>{{t.greeting}}, {{name}}</p>');
    write('hello-again.html.hbs', 'title: x\n---\n<p>{{t.greeting}}</p>');
    write('hello.captions.json', captions({ en: { greeting: 'Hello' }, ru: { greeting: 'Здравствуйте' } }));
    const catalogue = loadPageCatalogue(dir, ['ru', 'en']);
    const hello = catalogue.pages.get('hello')!;
    expect(hello.body({ name: 'Ali', t: hello.captions.ru })).toBe('<p>Здравствуйте, Ali</p>');
    expect(catalogue.pages.get('hello-again')!.captions.en.greeting).toBe('Hello');
  });

  it('refuses a language missing from a captions file', () => {
    write('hello.html.hbs', 'title: x\n---\n{{t.greeting}}');
    write('hello.captions.json', captions({ en: { greeting: 'Hello' } }));
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/lack the language 'ru'/);
  });

  it('refuses a caption one language has and another lacks or leaves empty', () => {
    write('hello.html.hbs', 'title: x\n---\n{{t.greeting}}');
    write('hello.captions.json', captions({ en: { greeting: 'Hello', bye: 'Bye' }, ru: { greeting: ' ' } }));
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/lack, in 'ru': greeting, bye/);
  });

  it('refuses a template that reads a caption nobody defined, even inside a block', () => {
    write('hello.html.hbs', 'title: x\n---\n{{#each rows}}{{../t.greting}}{{/each}}');
    write('hello.captions.json', captions({ en: { greeting: 'Hello' }, ru: { greeting: 'Привет' } }));
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/t\.greting/);
  });

  it('refuses a page without captions, without a title line, or that does not compile', () => {
    write('lonely.html.hbs', 'title: x\n---\nbody');
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/lonely.captions.json/);
    write('lonely.captions.json', captions({ en: {}, ru: {} }));
    write('untitled.html.hbs', '<p>body</p>');
    write('untitled.captions.json', captions({ en: {}, ru: {} }));
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/title:/);
    write('untitled.html.hbs', 'title: x\n---\n{{#if}}');
    expect(() => loadPageCatalogue(dir, ['ru', 'en'])).toThrow(/does not compile/);
  });
});
