import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Swagger UI files the page loads, with their types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * The interactive API documentation. Nest's Swagger module serves the UI's files on Fastify only through
 * @fastify/static, which the portal does not carry for four files: they are read once, on first request.
 */
export function serveApiDocsUi(server: FastifyInstance, path: string, documentUrl: string): void {
  // swagger-ui-dist comes with @nestjs/swagger; resolved from there, it is the version Nest's module was built with.
  const distDir = dirname(require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }));
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Consular digital services API</title>
<link rel="stylesheet" href="${path}/swagger-ui.css">
<link rel="icon" type="image/png" href="${path}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${path}/swagger-ui-bundle.js"></script>
<script src="${path}/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '${documentUrl}', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
</script>
</body>
</html>
`;
  server.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(ASSETS)) {
    let content: Buffer | undefined;
    server.get(`${path}/${file}`, (_request, reply) => {
      content ??= readFileSync(join(distDir, file));
      return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(content);
    });
  }
}
