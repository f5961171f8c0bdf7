/**
 * The framework's floor: NestJS on Express (the service's own versions, from its node_modules)
 * with nothing of Tessera's — no middleware, guard, pipe or filter, no database — answering the
 * bare server's small JSON body on the two paths the cheap loads use. What a Nest-on-Express route
 * costs before the service does any work; the cheap figures are shown against it as well as
 * against the bare server. Listens on `PORT` and prints `listening` when ready.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const body = { status: 'ok' };

@Controller('oauth2')
class FloorController {
  @Get('userinfo')
  userinfo(): typeof body {
    return body;
  }

  @Post('token')
  @HttpCode(200)
  token(): typeof body {
    return body;
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  // Nest's defaults otherwise: the Express adapter with its JSON and form body parsers.
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
}

void main();
