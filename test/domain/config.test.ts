import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/env.js';

describe('configuration from the environment', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      dataDir: path.resolve('.data'),
      databaseUrl: undefined,
      temporalAddress: undefined,
      webPort: 3000,
      apiPort: 3001,
      temporalPort: 7233,
      temporalUiPort: 8233,
      pgPort: 5433,
      temporalUiUrl: 'http://localhost:8233',
      apiUrl: 'http://localhost:3001',
    });
  });

  it('points at external PostgreSQL and Temporal when given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/librelog', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_UI_PORT: '9000' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/librelog', temporalAddress: 'temporal:7233', temporalUiUrl: 'http://localhost:9000' });
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ API_PORT: 'http' })).toThrow(new ConfigError('API_PORT must be a TCP port (1-65535), got "http"'));
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
  });
});
