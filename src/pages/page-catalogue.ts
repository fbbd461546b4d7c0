import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { pluralHelper } from '../common/plural';

export type Captions = Record<string, string>;

export interface PageTemplate {
  name: string;
  title: HandlebarsTemplateDelegate;
  body: HandlebarsTemplateDelegate;
  /** Per language, every caption the page's `{{t.…}}` may use. */
  captions: Record<string, Captions>;
  /** templates/pages/<name>.css, appended to the layout's one stylesheet. */
  css: string;
}

export interface PageCatalogue {
  layout: HandlebarsTemplateDelegate;
  layoutCaptions: Record<string, Captions>;
  pages: Map<string, PageTemplate>;
}

const LAYOUT = 'layout.html.hbs';
const PAGE_SUFFIX = '.html.hbs';

/**
 * Reads templates/pages/ once, at start-up, and refuses to start on a page that could fail later: a template that
 * does not compile, a captions file without one of the portal's languages, a caption one language has and another
 * lacks or leaves empty, or a `{{t.key}}` the captions do not define.
 *
 * A page is `<name>.html.hbs`: a `title:` line, a `---` line, then the body, placed in `layout.html.hbs`. Its captions
 * are `<name>.captions.json` (`{ "<lang>": { "<key>": "text" } }`), or those of the page its name extends
 * (`verify-not-found` uses `verify.captions.json`).
 */
export function loadPageCatalogue(directory: string, languages: readonly string[]): PageCatalogue {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('plural', pluralHelper);
  const compile = (source: string, where: string) => {
    try {
      handlebars.precompile(source, { strict: true });
      return handlebars.compile(source, { strict: true });
    } catch (error) {
      throw new Error(`Page template ${where} does not compile: ${(error as Error).message}`, { cause: error });
    }
  };
  const layoutSource = readFileSync(join(directory, LAYOUT), 'utf8');
  const layout = compile(layoutSource, LAYOUT);
  const layoutCaptions = readCaptions(join(directory, 'layout.captions.json'), languages);
  assertCaptionsUsed(layoutSource, layoutCaptions, LAYOUT);
  const pages = new Map<string, PageTemplate>();
  for (const file of readdirSync(directory).filter((f) => f.endsWith(PAGE_SUFFIX) && f !== LAYOUT).sort()) {
    const name = file.slice(0, -PAGE_SUFFIX.length);
    const source = readFileSync(join(directory, file), 'utf8');
    const match = /^title:(.*)\r?\n---\r?\n([\s\S]*)$/.exec(source);
    if (!match) throw new Error(`Page template ${file} must start with a 'title:' line and a '---' line`);
    const title = compile(match[1].trim(), `${file} (title)`);
    const body = compile(match[2], file);
    const captionsFile = captionsFor(directory, name);
    if (!captionsFile) throw new Error(`Page template ${file} has no captions: add ${name}.captions.json`);
    const captions = readCaptions(join(directory, captionsFile), languages);
    assertCaptionsUsed(source, captions, file);
    const cssPath = join(directory, `${name}.css`);
    pages.set(name, {
      name,
      title,
      body,
      captions,
      css: existsSync(cssPath) ? readFileSync(cssPath, 'utf8') : '',
    });
  }
  return { layout, layoutCaptions, pages };
}

/** `<name>.captions.json`, else that of the longest name it extends by `-…`. */
function captionsFor(directory: string, name: string): string | null {
  const parts = name.split('-');
  for (let n = parts.length; n > 0; n--) {
    const file = `${parts.slice(0, n).join('-')}.captions.json`;
    if (existsSync(join(directory, file))) return file;
  }
  return null;
}

function readCaptions(path: string, languages: readonly string[]): Record<string, Captions> {
  let raw: Record<string, Captions>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Page captions ${path} are not readable JSON: ${(error as Error).message}`, { cause: error });
  }
  const keys = new Set(languages.flatMap((lang) => Object.keys(raw[lang] ?? {})));
  for (const lang of languages) {
    if (!raw[lang]) throw new Error(`Page captions ${path} lack the language '${lang}'`);
    const missing = [...keys].filter((key) => typeof raw[lang][key] !== 'string' || raw[lang][key].trim() === '');
    if (missing.length > 0) throw new Error(`Page captions ${path} lack, in '${lang}': ${missing.join(', ')}`);
  }
  return raw;
}

/** Every `t.key` the template reads must be a caption (checked in the template's syntax tree, not by rendering). */
function assertCaptionsUsed(source: string, captions: Record<string, Captions>, where: string): void {
  const defined = new Set(Object.keys(Object.values(captions)[0] ?? {}));
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { type?: string; parts?: string[]; data?: boolean };
    if (n.type === 'PathExpression' && n.parts) {
      // `t.key`, `../t.key` and `@root.t.key`
      const parts = n.data && n.parts[0] === 'root' ? n.parts.slice(1) : n.data ? [] : n.parts;
      if (parts[0] === 't' && parts.length === 2) used.add(parts[1]);
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
  };
  visit(Handlebars.parse(source));
  const unknown = [...used].filter((key) => !defined.has(key));
  if (unknown.length > 0) throw new Error(`Page template ${where} uses captions that are not defined: ${unknown.map((k) => `t.${k}`).join(', ')}`);
}
