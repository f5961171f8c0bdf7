import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
@Controller('health') class C { @Get('live') live() { return { status: 'ok', info: {}, error: {}, details: {} }; } }
@Module({ controllers: [C] }) class M {}
async function main() {
  const app = await NestFactory.create(M, { logger: false });
  if (process.env.HELMET) app.use(helmet());
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
}
void main();
