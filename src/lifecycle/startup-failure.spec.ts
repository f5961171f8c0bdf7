import { InvalidConfigurationError } from '../config/app.config';
import { DatabaseStartupError } from '../database/startup-connection';
import { describeStartupFailure, ListenError } from './startup-failure';

const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

describe(describeStartupFailure.name, () => {
  it('should name PORT and the address for a taken port', () => {
    expect(describeStartupFailure(new ListenError(inUse, '0.0.0.0', 3000))).toEqual({
      fields: { code: 'EADDRINUSE', address: '0.0.0.0:3000', variable: 'PORT' },
      message:
        'PORT 3000 is already in use on 0.0.0.0; stop what holds it or set PORT to a free port',
    });
  });

  it('should name HEALTH_PORT for a taken health port', () => {
    expect(describeStartupFailure(new ListenError(inUse, '0.0.0.0', 9090, 'HEALTH_PORT'))).toEqual({
      fields: { code: 'EADDRINUSE', address: '0.0.0.0:9090', variable: 'HEALTH_PORT' },
      message:
        'HEALTH_PORT 9090 is already in use on 0.0.0.0; stop what holds it or set HEALTH_PORT to a free port',
    });
  });

  it('should name HOST for an address that is not the machine', () => {
    const error = Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' });
    expect(describeStartupFailure(new ListenError(error, '10.9.9.9', 3000)).fields).toMatchObject({
      variable: 'HOST',
    });
  });

  it('should list every configuration problem', () => {
    const failure = describeStartupFailure(
      new InvalidConfigurationError([
        'PORT must be an integer number',
        'BCRYPT_COST must not be greater than 15',
      ]),
    );
    expect(failure.message).toBe(
      'Invalid configuration: PORT must be an integer number; BCRYPT_COST must not be greater than 15',
    );
    expect(failure.fields.problems).toHaveLength(2);
  });

  it('should name DATABASE_URL for a database that never answered', () => {
    const failure = describeStartupFailure(
      new DatabaseStartupError('Could not connect …', 'mysql://u:***@db/x', 'ECONNREFUSED'),
    );
    expect(failure.fields).toEqual({
      variable: 'DATABASE_URL',
      database: 'mysql://u:***@db/x',
      code: 'ECONNREFUSED',
    });
  });

  it('should cut secrets out of anything else, and say whether the start or the run failed', () => {
    const error = new Error('boom near hunter2-secret');
    const atStart = describeStartupFailure(error, ['hunter2-secret']);
    expect(atStart.message).toBe('Start-up failed: boom near ***');
    expect(JSON.stringify(atStart.fields)).not.toContain('hunter2-secret');
    expect(describeStartupFailure(error, [], 'run').message).toMatch(/^Uncaught error; exiting: /);
  });
});
