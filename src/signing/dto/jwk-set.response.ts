import { ApiProperty } from '@nestjs/swagger';

export class JwkResponse {
  @ApiProperty({ enum: ['OKP'] }) kty: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] }) crv: 'Ed25519';
  @ApiProperty({ description: 'Public key, base64url' }) x: string;
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url)' }) kid: string;
  @ApiProperty({ enum: ['sig'] }) use: 'sig';
  @ApiProperty({ enum: ['EdDSA'] }) alg: 'EdDSA';
}

export class JwkSetResponse {
  @ApiProperty({ type: [JwkResponse], description: 'The active key first, then retired keys that still verify older signatures' })
  keys: JwkResponse[];
}
