import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

/**
 * A throw-away PostgreSQL cluster for tests: `initdb` + `pg_ctl` from Debian's `postgresql`
 * package on a free loopback port, in a temp dir, stopped (and erased) by `stop()` or, at the
 * latest, when the test process exits. Missing binaries FAIL with a clear message: a test that
 * needs Postgres never skips silently.
 */
export type TestPostgres = {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
};

export function postgresBinDir(): string {
  // Debian installs each major version under /usr/lib/postgresql/<version>/bin; newest first.
  const installed = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((x, y) => Number(y) - Number(x))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : ['/usr/lib/postgresql/15/bin'];
  const candidates = [process.env.PG_BIN, ...installed].filter(Boolean) as string[];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found in ' +
        candidates.join(', ') +
        '. Install them with `apt-get install -y postgresql` (.ci/run does) or point PG_BIN at their directory.'
    );
  }
  return found;
}

/** initdb refuses to run as root: as root, run the cluster as the `postgres` user (or `nobody`). */
function clusterUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const ids = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (ids.status === 0 && gids.status === 0) return { name, uid: Number(ids.stdout.trim()), gid: Number(gids.stdout.trim()) };
  }
  throw new Error('Running as root and neither a `postgres` nor a `nobody` user exists to run initdb as.');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = clusterUser();
  const run = (command: string, args: string[]) => {
    const file = path.join(bin, command);
    const [exe, argv] = user ? ['runuser', ['-u', user.name, '--', file, ...args]] : [file, args];
    return spawnSync(exe, argv, { encoding: 'utf8', cwd: os.tmpdir() });
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-pg-'));
  const data = path.join(dir, 'data');
  if (user) fs.chownSync(dir, user.uid, user.gid);
  // --no-sync and fsync=off: a test cluster is thrown away, durability is not what it tests.
  const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);

  let port = 0;
  let lastError = '';
  // A free port can be taken between the probe and the start: try a few.
  for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
    const candidate = await freePort();
    const options = `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB`;
    const start = run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    if (start.status === 0) port = candidate;
    else lastError = `${start.stdout}\n${start.stderr}\n${fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : ''}`;
  }
  if (port === 0) throw new Error(`pg_ctl could not start the test cluster:\n${lastError}`);

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test run that dies before its teardown still takes the cluster down with it.
  process.once('exit', stopNow);

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a database name: ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.off('exit', stopNow);
      stopNow();
    }
  };
}
