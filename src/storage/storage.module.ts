import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { FieldCipher } from '../common/crypto/field-cipher';
import { AppConfig } from '../config/app-config';
import { FILE_STORAGE, FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

/**
 * The file storage every feature uses, chosen by FILE_STORAGE: `local` (a folder under DATA_DIR). Another store
 * (S3-compatible) is a second FileStorage class and a case here; see the README.
 */
@Global()
@Module({
  providers: [
    {
      provide: FILE_STORAGE,
      inject: [AppConfig, FieldCipher],
      useFactory: (config: AppConfig, cipher: FieldCipher): FileStorage => {
        switch (config.fileStorage.driver) {
          case 'local':
            return new LocalFileStorage(join(config.dataDir, 'files'), cipher);
        }
      },
    },
  ],
  exports: [FILE_STORAGE],
})
export class StorageModule {}
