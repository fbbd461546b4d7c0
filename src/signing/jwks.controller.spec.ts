import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppConfigModule } from '../config/config.module';
import { SigningKeyService } from './signing-key.service';
import { SigningModule } from './signing.module';

describe('GET /.well-known/jwks.json', () => {
  let app: INestApplication;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jwks-'));
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot({ DATA_DIR: dataDir, NODE_ENV: 'test' }), SigningModule],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the signing keys, cacheable for five minutes', async () => {
    const response = await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toEqual(app.get(SigningKeyService).jwks());
    expect(response.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA', kid: app.get(SigningKeyService).kid });
  });

  it('is described in the OpenAPI document', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const schema = document.paths['/.well-known/jwks.json']?.get?.responses?.['200'];
    expect(JSON.stringify(schema)).toContain('JwkSetResponse');
    expect(document.components?.schemas?.JwkResponse).toBeDefined();
  });
});
