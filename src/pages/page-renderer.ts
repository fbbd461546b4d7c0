import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { prefersJson } from '../common/http/content-negotiation';
import Handlebars from 'handlebars';
import { AppConfig, projectPath } from '../config/app-config';
import { inLanguage } from '../config/issuing-state';
import { Captions, loadPageCatalogue, PageCatalogue, PageTemplate } from './page-catalogue';

export interface RenderedPage {
  status: number;
  html: string;
}

/** What a page route needs of the HTTP reply (Fastify's reply has it), so that feature code imports no HTTP framework. */
export interface PageReply {
  /** The request being answered (Fastify's reply carries it): its Accept header says whether it wants JSON. */
  request?: { headers: Record<string, string | string[] | undefined> };
  status(code: number): PageReply;
  header(name: string, value: string): PageReply;
  send(payload: string | Buffer): unknown;
}

export interface PageOptions {
  status?: number;
  /** A second language the page is also written in (the verification page: English and the document's language). */
  alsoIn?: string;
  /** The page's own address, to offer it in the other languages (`?lang=`); its query is kept. */
  here?: { path: string; query?: Record<string, string | undefined> };
}

/** What a refused page says to a client that asked for JSON instead. */
const PROBLEM_TITLES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'The form or link is incomplete or malformed',
  [HttpStatus.NOT_FOUND]: 'The link is unknown, or the record it names does not exist',
  [HttpStatus.GONE]: 'The link has expired',
  [HttpStatus.CONFLICT]: 'The link has already been used',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'The form could not be accepted',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too many attempts; try again later',
};

/** The problem cases every page answers the same way: a link unknown, expired or already used, or a bad request. */
export type PageProblem = 'notFound' | 'expired' | 'used' | 'invalid' | 'tooMany';

const PROBLEM_STATUS: Record<PageProblem, number> = {
  notFound: HttpStatus.NOT_FOUND,
  expired: HttpStatus.GONE,
  used: HttpStatus.GONE,
  invalid: HttpStatus.BAD_REQUEST,
  tooMany: HttpStatus.TOO_MANY_REQUESTS,
};

export interface ProblemOptions {
  /** Replaces the generic heading (already in the page's language). */
  heading?: string;
  /** Replaces the generic explanation (already in the page's language). */
  explanation?: string;
  /** Links that help, e.g. to sign in or ask for a new link (labels in the page's language). */
  actions?: { href: string; label: string }[];
  here?: PageOptions['here'];
}

/**
 * The portal's server-rendered pages (templates/pages/): plain HTML with one inline stylesheet, no JavaScript, no
 * external resources, readable on a 360 px phone, in the person's language. Every page is checked when the portal
 * starts (see loadPageCatalogue), so a missing caption stops start-up rather than a citizen's page.
 */
@Injectable()
export class PageRenderer {
  private readonly catalogue: PageCatalogue;
  private readonly languages: readonly string[];

  constructor(private readonly config: AppConfig) {
    this.languages = config.state.languages;
    this.catalogue = loadPageCatalogue(projectPath('templates', 'pages'), this.languages);
  }

  /** The page language: `?lang=` when the portal speaks it, then the best of Accept-Language, then the state's own. */
  language(requested: unknown, acceptLanguage: string | undefined): string {
    if (typeof requested === 'string' && this.languages.includes(requested.toLowerCase())) return requested.toLowerCase();
    const ranked = (acceptLanguage ?? '')
      .split(',')
      .map((part, index) => {
        const [range, ...parameters] = part.trim().split(';');
        const q = parameters.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((value) => value !== undefined);
        return { base: range.trim().toLowerCase().split('-')[0], quality: q === undefined ? 1 : Number(q) || 0, index };
      })
      .filter((entry) => entry.quality > 0 && this.languages.includes(entry.base))
      .sort((a, b) => b.quality - a.quality || a.index - b.index);
    return ranked[0]?.base ?? this.languages[0];
  }

  /** A page's captions in a language (every language of the portal has every caption: checked at start-up). */
  captions(name: string, lang: string): Captions {
    return this.page(name).captions[lang] ?? this.page(name).captions[this.config.state.fallbackLanguage];
  }

  /** templates/pages/<name>.html.hbs in the layout; the template sees the context, `lang` and its captions as `t`. */
  render(name: string, lang: string, context: Record<string, unknown>, options: PageOptions = {}): RenderedPage {
    const page = this.page(name);
    const values = { ...context, lang, t: this.captions(name, lang) };
    const layoutCaptions = this.catalogue.layoutCaptions[lang] ?? this.catalogue.layoutCaptions[this.config.state.fallbackLanguage];
    const stateName = inLanguage(this.config.state.name, lang);
    const also = options.alsoIn && options.alsoIn !== lang ? options.alsoIn : null;
    const stateNameAlso = also ? inLanguage(this.config.state.name, also) : null;
    const html = this.catalogue.layout({
      lang,
      t: layoutCaptions,
      title: page.title(values),
      css: new Handlebars.SafeString(page.css),
      stateName,
      stateNameAlso: stateNameAlso && stateNameAlso !== stateName ? { lang: also, text: stateNameAlso } : null,
      languageLinks: options.here ? this.languageLinks(lang, options.here) : null,
      body: new Handlebars.SafeString(page.body(values)),
    });
    return { status: options.status ?? HttpStatus.OK, html };
  }

  /** The readable page for a link that is unknown, expired or used, or a request that makes no sense. */
  problem(lang: string, problem: PageProblem, options: ProblemOptions = {}): RenderedPage {
    const t = this.captions('problem', lang);
    return this.render(
      'problem',
      lang,
      { problem, heading: options.heading ?? t[problem], explanation: options.explanation ?? t[`${problem}Explanation`], actions: options.actions ?? [] },
      { status: PROBLEM_STATUS[problem], here: options.here },
    );
  }

  /** Sends a page: HTML, never stored by a cache (pages may carry one-time links), with its status. */
  send(reply: PageReply, page: RenderedPage): void {
    // A program that asks for JSON gets the refusal as problem+json (through PageProblemFilter), as on every API route.
    const accept = reply.request?.headers.accept;
    if (page.status >= 400 && prefersJson(Array.isArray(accept) ? accept.join(',') : accept)) throw new HttpException(PROBLEM_TITLES[page.status] ?? 'The page cannot be shown', page.status);
    reply.status(page.status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(page.html);
  }

  /** Whether a page template exists (for tests that render every page). */
  pageNames(): string[] {
    return [...this.catalogue.pages.keys()];
  }

  private page(name: string): PageTemplate {
    const page = this.catalogue.pages.get(name);
    if (!page) throw new Error(`No page template templates/pages/${name}.html.hbs`);
    return page;
  }

  private languageLinks(current: string, here: NonNullable<PageOptions['here']>) {
    return this.languages.map((lang) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(here.query ?? {})) if (value !== undefined && key !== 'lang') query.set(key, value);
      query.set('lang', lang);
      return { lang, name: this.catalogue.layoutCaptions[lang].languageName, href: `${here.path}?${query.toString()}`, current: lang === current };
    });
  }
}
