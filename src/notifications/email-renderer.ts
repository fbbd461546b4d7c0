import { Injectable } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { AppConfig, projectPath } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import { pluralHelper } from '../common/plural';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate };

const URL_PATTERN = /(https?:\/\/[^\s<]+)/g;

// `{{plural count one=… few=… many=… other=…}}` in every e-mail, by the rules of the message's language.
Handlebars.registerHelper('plural', pluralHelper);

/**
 * Where a per-person value goes in a template rendered once for many people. A control character cannot come from
 * any text the portal accepts (the input scan refuses them), so a marker never collides with content.
 */
const MARKER = '\u0001';
const MARKER_PATTERN = new RegExp(`${MARKER}(\\w+)${MARKER}`);

/**
 * One template rendered once for many recipients, with the per-person fields (a link's token, a name) left as
 * markers: filling them in is string joining, the HTML values escaped.
 */
export class BulkEmail {
  private readonly subject: string[];
  private readonly text: string[];
  private readonly html: string[];

  constructor(rendered: RenderedEmail) {
    // split() with a capturing group alternates literal text (even indexes) and field names (odd indexes).
    this.subject = rendered.subject.split(MARKER_PATTERN);
    this.text = rendered.text.split(MARKER_PATTERN);
    this.html = rendered.html.split(MARKER_PATTERN);
  }

  fill(values: Record<string, string>): RenderedEmail {
    return {
      subject: join(this.subject, values, (v) => v),
      text: join(this.text, values, (v) => v),
      html: join(this.html, values, Handlebars.escapeExpression),
    };
  }
}

function join(parts: string[], values: Record<string, string>, escape: (value: string) => string): string {
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += escape(values[parts[i]] ?? '') + parts[i + 1];
  return out;
}

/**
 * Renders templates/email/<name>/<language>.hbs: a `subject:` line, a `---` line, then the body.
 * The text part is the body; the HTML part is the same body, escaped, in paragraphs, inside the shared layout.
 */
@Injectable()
export class EmailRenderer {
  private readonly cache = new Map<string, Compiled>();
  private readonly layout = Handlebars.compile(readFileSync(projectPath('templates', 'email', 'layout.html.hbs'), 'utf8'));

  constructor(private readonly config: AppConfig) {}

  /** The language a template is available in for this recipient: theirs, else the fallback. */
  languageFor(template: string, locale: string | null | undefined): string {
    const wanted = this.config.state.languageFor(locale);
    return existsSync(this.path(template, wanted)) ? wanted : this.config.state.fallbackLanguage;
  }

  render(template: string, language: string, context: Record<string, unknown>): RenderedEmail {
    const compiled = this.compiled(template, language);
    const values = { ...context, language, stateName: inLanguage(this.config.state.name, language) };
    const html = compiled.html(values)
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.trim().replace(/\n/g, '<br>').replace(URL_PATTERN, '<a href="$1">$1</a>')}</p>`)
      .join('\n');
    return {
      subject: compiled.subject(values).trim(),
      text: compiled.text(values).trim() + '\n',
      html: this.layout({ lang: language, body: new Handlebars.SafeString(html), stateName: values.stateName }),
    };
  }

  /** Renders once for many recipients: `fields` stay as markers that BulkEmail.fill() replaces per person. */
  bulk(template: string, language: string, context: Record<string, unknown>, fields: string[]): BulkEmail {
    const markers = Object.fromEntries(fields.map((field) => [field, `${MARKER}${field}${MARKER}`]));
    return new BulkEmail(this.render(template, language, { ...context, ...markers }));
  }

  private path(template: string, language: string): string {
    return projectPath('templates', 'email', template, `${language}.hbs`);
  }

  private compiled(template: string, language: string): Compiled {
    const key = `${template}/${language}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const source = readFileSync(this.path(template, language), 'utf8');
      const match = /^subject:(.*)\r?\n---\r?\n([\s\S]*)$/.exec(source);
      if (!match) throw new Error(`E-mail template ${key} must start with 'subject:' and a '---' line`);
      const options = { strict: true };
      compiled = {
        subject: Handlebars.compile(match[1], { ...options, noEscape: true }),
        text: Handlebars.compile(match[2], { ...options, noEscape: true }),
        html: Handlebars.compile(match[2], options),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
