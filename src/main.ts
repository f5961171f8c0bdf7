import { cpus } from 'node:os';
// bcrypt runs on the libuv pool; give it room beside fs and dns before the pool first starts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, cpus().length + 2));

import 'reflect-metadata';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BootstrapLogger } from './common/logging/bootstrap.logger';
import { endAsyncLogDestinations } from './common/logging/pending-logs';
import { AppConfig } from './config/app.config';
import { describeStartupFailure, ListenError, listenUrl } from './lifecycle/startup-failure';

const bootstrapLogger = new BootstrapLogger();

/** The password of DATABASE_URL, cut out of anything a failure could print. */
function secretsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    const url = new URL(env.DATABASE_URL ?? '');
    return url.password ? [url.password, decodeURIComponent(url.password)] : [];
  } catch {
    return [];
  }
}

/** Set once the service listens: a failure after that is a crash, not a failed start. */
let listening = false;

/** Set by the first failure: a second one (say, while the logs flush) adds nothing. */
let exiting = false;

function exitWith(error: unknown): void {
  if (exiting) return;
  exiting = true;
  const phase = listening ? 'run' : 'start';
  const { fields, message } = describeStartupFailure(error, secretsOf(process.env), phase);
  // The application's logger writes asynchronously; the reason goes out once it has written
  // everything, so it is the last line the process writes.
  void endAsyncLogDestinations().then(() => {
    bootstrapLogger.startupFailure(fields, message);
    process.exit(1);
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(new ListenError(error, host, port));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/**
 * Validate the configuration, build the application, listen, and take over SIGTERM. Every line
 * the process writes is pino JSON from the first one; a failure that stops the start is one line
 * naming the variable to fix, then exit 1.
 */
async function bootstrap(): Promise<void> {
  // Before the application's modules are even loaded, so a bad variable is reported at once and
  // alone.
  const config = AppConfig.fromEnvironment(process.env);
  const [
    { Logger },
    { NestFactory },
    { AppModule },
    { configureApp },
    { ConnectionDrain },
    { GracefulShutdown },
    { LifecycleService },
  ] = await Promise.all([
    import('@nestjs/common'),
    import('@nestjs/core'),
    import('./app.module'),
    import('./app.setup'),
    import('./lifecycle/connection-drain'),
    import('./lifecycle/graceful-shutdown'),
    import('./lifecycle/lifecycle.service'),
  ]);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: bootstrapLogger,
    // Initialisation errors come back here (reported once, by name) instead of Nest's exit.
    abortOnError: false,
  });
  configureApp(app);
  const server = app.getHttpServer();
  const drain = new ConnectionDrain(server);
  await app.init();
  await listen(server, config.host, config.port);
  listening = true;
  const logger = new Logger('Lifecycle');
  new GracefulShutdown(app, app.get(LifecycleService), drain, {
    delaySeconds: config.shutdownDelaySeconds,
    logger,
  }).listen();
  const url = listenUrl(config.host, config.port);
  logger.log({ url, host: config.host, port: config.port }, `Listening on ${url}`);
}

// Whatever escapes is still one JSON line, not Node's stack on stderr.
process.on('uncaughtException', exitWith);
process.on('unhandledRejection', exitWith);
bootstrap().catch(exitWith);
