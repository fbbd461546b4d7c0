import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { cliDatabaseUrl } from '../config/environment';
import { dataSourceOptions } from './data-source.options';

// Used only by the TypeORM CLI (npm run migration:*). The CLI needs a running server:
// point DATABASE_URL at one (the README shows how); the app itself can also run them at start.
export default new DataSource(dataSourceOptions(cliDatabaseUrl()));
