import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { FieldCipher } from './field-cipher';

/** The cipher for personal data at rest, keyed from DATA_ENCRYPTION_KEY; one instance for every feature. */
@Global()
@Module({
  providers: [{ provide: FieldCipher, inject: [AppConfig], useFactory: (config: AppConfig) => new FieldCipher(config.dataEncryptionKey) }],
  exports: [FieldCipher],
})
export class CryptoModule {}
