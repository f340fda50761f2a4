import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../controller/config.js';

const defaults = { cwd: '/srv/gongshi', defaultWebDir: '/opt/gongshi/dist/web' };

function problems(argv: string[], env: Record<string, string> = {}): string[] {
  try {
    loadConfig(argv, env, defaults);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has sensible defaults', () => {
    expect(loadConfig([], {}, defaults)).toEqual({
      host: '0.0.0.0',
      port: 8080,
      dataDir: path.resolve('/srv/gongshi/data'),
      publicUrl: null,
      demo: 'auto',
      logLevel: 'info',
      webDir: '/opt/gongshi/dist/web',
      trustProxy: false,
    });
  });

  it('reads the environment, and the command line wins over it', () => {
    const env = {
      PORT: '9000',
      GONGSHI_DATA_DIR: '/var/lib/gongshi',
      GONGSHI_PUBLIC_URL: 'http://192.168.1.10:9000/',
      GONGSHI_DEMO: 'off',
    };
    expect(loadConfig([], env, defaults)).toMatchObject({
      port: 9000,
      dataDir: '/var/lib/gongshi',
      publicUrl: 'http://192.168.1.10:9000',
      demo: 'off',
    });
    expect(loadConfig(['--port', '0', '--data=rel', '--demo', 'on'], env, defaults)).toMatchObject({
      port: 0,
      dataDir: path.resolve('/srv/gongshi/rel'),
      demo: 'on',
    });
    expect(loadConfig(['--no-demo'], {}, defaults).demo).toBe('off');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig([], { PORT: '', GONGSHI_DEMO: ' ' }, defaults)).toMatchObject({ port: 8080, demo: 'auto' });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig([], {}, defaults))).toBe(true);
  });

  it('lists every problem at once, naming the option and the variable', () => {
    const found = problems([
      '--port',
      '70000',
      '--demo',
      'maybe',
      '--bogus',
      '--log-level',
      'loud',
      '--public-url',
      'ftp://x',
      '--data',
      ' ',
    ]);
    expect(found).toHaveLength(6);
    expect(found.join('\n')).toMatch(/port \(--port \/ PORT\).*70000/);
    expect(found.join('\n')).toMatch(/demo.*maybe/);
    expect(found.join('\n')).toMatch(/unknown option "--bogus"/);
    expect(found.join('\n')).toMatch(/log level.*loud/);
    expect(found.join('\n')).toMatch(/public URL.*ftp:\/\/x/);
    expect(found.join('\n')).toMatch(/data directory/);
  });

  it('refuses an option without a value', () => {
    expect(problems(['--port'])).toEqual(['--port needs a value']);
    expect(problems(['--data', '--port', '1'])).toEqual(['--data needs a value']);
    expect(problems(['--port', 'abc'])[0]).toMatch(/whole number/);
    expect(problems(['--data', '--port', '1', '--web'])).toEqual(['--data needs a value', '--web needs a value']);
  });

  it('refuses stray arguments and single-dash options, naming them', () => {
    expect(problems(['9000'])).toEqual(['unexpected argument "9000"; run with --help to list the options']);
    expect(problems(['-p', '1'])[0]).toMatch(/unknown option "-p"/);
    expect(problems(['--', '--no-demo'])).toEqual(['unexpected argument "--no-demo"; run with --help to list the options']);
  });

  it('reads which reverse proxy to trust, and refuses trusting everyone or garbage', () => {
    expect(loadConfig([], { GONGSHI_TRUST_PROXY: 'loopback' }, defaults).trustProxy).toEqual(['loopback']);
    expect(loadConfig(['--trust-proxy', '1'], {}, defaults).trustProxy).toBe(1);
    expect(loadConfig(['--trust-proxy=127.0.0.1, 10.0.0.0/8,::1'], {}, defaults).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(loadConfig(['--trust-proxy', 'off'], { GONGSHI_TRUST_PROXY: '1' }, defaults).trustProxy).toBe(false);
    expect(problems(['--trust-proxy', 'true'])[0]).toMatch(/trust proxy \(--trust-proxy \/ GONGSHI_TRUST_PROXY\).*not trust everyone/);
    expect(problems(['--trust-proxy', '0'])[0]).toMatch(/hop count must be from 1 to 10/);
    expect(problems(['--trust-proxy', '10.0.0.0/33,nginx'])[0]).toMatch(/not understood: 10\.0\.0\.0\/33, nginx/);
  });
});
