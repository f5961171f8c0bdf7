import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { adminToken, createUser, type TestUser } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

// The SDK writes ~/.huaweicloud/application_id when it loads: keep it out of the real home.
const sdkHome = mkdtempSync(join(tmpdir(), 'tessera-huawei-sdk-'));
process.env.HOME = sdkHome;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded after HOME is set */
const iam =
  require('@huaweicloud/huaweicloud-sdk-iam/v3/public-api') as typeof import('@huaweicloud/huaweicloud-sdk-iam/v3/public-api');
const core =
  require('@huaweicloud/huaweicloud-sdk-core') as typeof import('@huaweicloud/huaweicloud-sdk-core');
const { ClientRequestException } =
  require('@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException') as typeof import('@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException');
const log4js = require('log4js') as { configure(config: unknown): void };
/* eslint-enable @typescript-eslint/no-require-imports */

// The SDK logs every error answer at ERROR level; the tests assert on them instead.
log4js.configure({
  appenders: { out: { type: 'stdout' } },
  categories: { default: { appenders: ['out'], level: 'off' } },
});

describe("Huawei Cloud IAM through Huawei's official Node SDK", () => {
  let app: NestExpressApplication;
  let endpoint: string;
  let admin: string;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    endpoint = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    admin = await adminToken(app);
  });
  afterAll(async () => {
    await app.close();
    rmSync(sdkHome, { recursive: true, force: true });
  });

  /**
   * An IamClient for Tessera: the SDK refuses to send without an AK/SK and signs every request
   * (Tessera ignores the signature on /v3); the user's token goes as a client-wide X-Auth-Token.
   */
  function client(authToken?: string): InstanceType<typeof iam.IamClient> {
    const credentials = new core.GlobalCredentials().withAk('DUMMY-AK').withSk('DUMMY-SK');
    return iam.IamClient.newBuilder()
      .withCredential(credentials)
      .withEndpoint(endpoint)
      .withOptions({
        axiosRequestConfig: { headers: authToken ? { 'X-Auth-Token': authToken } : {} },
      })
      .build();
  }

  async function createToken(user: TestUser, password = user.password) {
    const domain = new iam.PwdPasswordUserDomain().withName('acme');
    const pwdUser = new iam.PwdPasswordUser()
      .withName(user.username)
      .withPassword(password)
      .withDomain(domain);
    const identity = new iam.PwdIdentity()
      .withMethods(['password'])
      .withPassword(new iam.PwdPassword().withUser(pwdUser));
    const body = new iam.KeystoneCreateUserTokenByPasswordRequestBody().withAuth(
      new iam.PwdAuth().withIdentity(identity),
    );
    return client().keystoneCreateUserTokenByPassword(
      new iam.KeystoneCreateUserTokenByPasswordRequest().withNocatalog('true').withBody(body),
    );
  }

  function updatePassword(token: string, userId: string, original: string, password: string) {
    const option = new iam.KeystoneUpdatePasswordOption()
      .withOriginalPassword(original)
      .withPassword(password);
    return client(token).keystoneUpdateUserPassword(
      new iam.KeystoneUpdateUserPasswordRequest()
        .withUserId(userId)
        .withBody(new iam.KeystoneUpdateUserPasswordRequestBody().withUser(option)),
    );
  }

  /** What an SDK user catches: ClientRequestException with status, IAM code and message. */
  async function sdkError(call: Promise<unknown>) {
    const error: unknown = await call.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ClientRequestException);
    const { httpStatusCode, errorCode, errorMsg } = error as InstanceType<
      typeof ClientRequestException
    >;
    return { httpStatusCode, errorCode, errorMsg };
  }

  it('should create, validate and change with the SDK, after which the token is dead', async () => {
    const user = await createUser(app, admin);
    const created = await createToken(user);
    const token = (created as unknown as Record<string, string>)['X-Subject-Token'];
    expect(created.httpStatusCode).toBe(201);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(created.token?.user?.id).toBe(user.user_id);
    expect(created.token?.methods).toEqual(['password']);

    const validated = await client(token).keystoneValidateToken(
      new iam.KeystoneValidateTokenRequest().withXSubjectToken(token),
    );
    expect(validated.httpStatusCode).toBe(200);
    expect(validated.token?.user?.name).toBe(user.username);

    const changed = await updatePassword(
      token,
      user.user_id,
      user.password,
      'Sdk-Changed-Passw0rd',
    );
    expect(changed.httpStatusCode).toBe(204);

    await expect(
      sdkError(
        client(token).keystoneValidateToken(
          new iam.KeystoneValidateTokenRequest().withXSubjectToken(token),
        ),
      ),
    ).resolves.toEqual(expect.objectContaining({ httpStatusCode: 401 }));
    const renewed = await createToken(user, 'Sdk-Changed-Passw0rd');
    expect(renewed.httpStatusCode).toBe(201);
  });

  it('should raise ClientRequestException with the IAM code for policy failures', async () => {
    const user = await createUser(app, admin);
    const token = (await createToken(user)) as unknown as Record<string, string>;
    const subject = token['X-Subject-Token'];
    await expect(
      sdkError(updatePassword(subject, user.user_id, user.password, 'password')),
    ).resolves.toEqual({
      httpStatusCode: 400,
      errorCode: '1118',
      errorMsg: expect.any(String),
    });
    await expect(
      sdkError(updatePassword(subject, user.user_id, user.password, user.password)),
    ).resolves.toEqual({
      httpStatusCode: 400,
      errorCode: '1108',
      errorMsg: expect.any(String),
    });
    await expect(
      sdkError(updatePassword(subject, user.user_id, user.password, 'Zq9x')),
    ).resolves.toEqual({
      httpStatusCode: 400,
      errorCode: '1103',
      errorMsg: 'The password must contain 8 to 64 characters.',
    });
  });

  it('should raise ClientRequestException 401 for a wrong password at sign-in and at change', async () => {
    const user = await createUser(app, admin);
    await expect(sdkError(createToken(user, 'Wrong-Passw0rd-1'))).resolves.toEqual(
      expect.objectContaining({ httpStatusCode: 401 }),
    );
    const token = ((await createToken(user)) as unknown as Record<string, string>)[
      'X-Subject-Token'
    ];
    await expect(
      sdkError(updatePassword(token, user.user_id, 'Wrong-Passw0rd-1', 'Sdk-Next-Passw0rd')),
    ).resolves.toEqual(expect.objectContaining({ httpStatusCode: 401 }));
  });
});
