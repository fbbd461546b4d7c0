/** JSON routes live under this prefix; pages, /verify, /health and /.well-known do not (see app.setup.ts). */
export const API_PREFIX = 'api/v1';

/** The public address of a JSON route, for links in e-mails. */
export function apiLink(publicBaseUrl: string, path: string): string {
  return `${publicBaseUrl}/${API_PREFIX}/${path}`;
}
