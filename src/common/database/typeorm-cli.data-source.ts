import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { buildDataSourceOptions } from './data-source';

/** For TypeORM's own CLI (`npm run migration:generate`). */
export default new DataSource(buildDataSourceOptions(loadConfig()));
