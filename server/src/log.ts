/**
 * Structured, namespaced logs (one JSON object a line on stderr). Never log answer content:
 * callers pass ids and sizes only.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Logger = {
  debug(msg: string, fields?: object): void;
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
  child(namespace: string): Logger;
};

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function createLogger(level: LogLevel, namespace = 'pairboard'): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: object) => {
    if (RANK[at] < RANK[level]) return;
    process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: at, ns: namespace, msg, ...fields }) + '\n');
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (name) => createLogger(level, `${namespace}:${name}`)
  };
}
