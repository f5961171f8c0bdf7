/**
 * The peer: Better Auth (bench/peer/package.json, never a dependency of the service) with email +
 * password, its hashing set to the service's `bcrypt` at `BCRYPT_COST`, on SQLite (`PEER_DB`),
 * served by `node:http` on `PORT`; prints `listening` when ready. The benchmark compiles this file
 * to an ES module beside bench/peer/node_modules (Better Auth ships ES modules only), so the
 * imports are resolved at run time and typechecking needs no peer install.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import bcrypt from 'bcrypt';

interface PeerOptions {
  baseURL: string;
  secret: string;
  database: unknown;
  emailAndPassword: {
    enabled: boolean;
    password: {
      hash: (password: string) => Promise<string>;
      verify: (data: { hash: string; password: string }) => Promise<boolean>;
    };
  };
  rateLimit: { enabled: boolean };
  telemetry: { enabled: boolean };
}
type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

// Specifiers in variables: resolved at run time from bench/peer/node_modules, not by tsc.
const modules = {
  betterAuth: 'better-auth',
  node: 'better-auth/node',
  migration: 'better-auth/db/migration',
  sqlite: 'better-sqlite3',
};

async function main(): Promise<void> {
  const cost = Number(process.env.BCRYPT_COST);
  const port = Number(process.env.PORT);
  const { betterAuth } = (await import(modules.betterAuth)) as {
    betterAuth: (options: PeerOptions) => unknown;
  };
  const { toNodeHandler } = (await import(modules.node)) as {
    toNodeHandler: (auth: unknown) => Handler;
  };
  const { getMigrations } = (await import(modules.migration)) as {
    getMigrations: (options: PeerOptions) => Promise<{ runMigrations: () => Promise<void> }>;
  };
  const Database = ((await import(modules.sqlite)) as { default: new (file: string) => unknown })
    .default;
  const options: PeerOptions = {
    baseURL: `http://127.0.0.1:${port}`,
    secret: String(process.env.PEER_SECRET),
    database: new Database(String(process.env.PEER_DB)),
    emailAndPassword: {
      enabled: true,
      password: {
        hash: (password) => bcrypt.hash(password, cost),
        verify: ({ hash, password }) => bcrypt.compare(password, hash),
      },
    },
    // The service's own limits are not under test either; each side sheds only by its design.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
  };
  await (await getMigrations(options)).runMigrations();
  const handler = toNodeHandler(betterAuth(options));
  const server = createServer((req, res) => void handler(req, res));
  server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
