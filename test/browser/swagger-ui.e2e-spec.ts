/**
 * Swagger UI in a real browser: Debian's Chromium, driven by playwright-core, opens `/docs`,
 * authorizes through the Authorize dialog with tokens obtained from the API, and runs "Try it out"
 * on the three password-change routes of the dialects (Tencent 200, Huawei 204, IDaaS SDK 200).
 * This catches what an OpenAPI document check cannot: a CSP that blocks Swagger UI's scripts or its
 * requests, a header the document does not declare, a security scheme the dialog cannot fill.
 * Screenshots land in test/artifacts/ (ignored by git) for a person to look at.
 *
 * Skips when /usr/bin/chromium is missing, unless TESSERA_REQUIRE_BROWSER=1 (CI), which makes a
 * missing browser a failure. Never a downloaded browser: `apt-get install -y chromium`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const BROWSER_TEST_TIMEOUT_MS = 120_000;

const browserRequired = process.env.TESSERA_REQUIRE_BROWSER === '1';
const browserPresent = existsSync(CHROMIUM);
const describeWithBrowser = browserPresent || browserRequired ? describe : describe.skip;

const DEVICE_HEADERS = {
  'X-operating-sys-version': 'ios17',
  'X-device-fingerprint': 'swagger-ui-e2e',
  'X-agent': 'Swagger UI e2e',
} as const;

describeWithBrowser('Swagger UI in Chromium (/docs, Authorize, Try it out)', () => {
  let app: NestExpressApplication;
  let baseUrl: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  let client: TestApplication;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    if (!browserPresent) {
      throw new Error(
        `TESSERA_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium`,
      );
    }
    // Swagger UI sends "Try it out" to the document's server, ISSUER: it must be this origin.
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await createTestApp({ ISSUER: baseUrl });
    await app.listen(port, '127.0.0.1');
    const admin = await adminToken(app);
    client = await createApplication(app, admin, { type: 'web', scopes: ['openid', 'profile'] });

    mkdirSync(ARTIFACTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => browserErrors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A CSP violation is reported on the console; any of them means /docs is half broken.
      if (message.type() === 'error') browserErrors.push(`console: ${message.text()}`);
    });
    await page.goto(`${baseUrl}/docs`);
    await page.locator('.swagger-ui .information-container .title').waitFor();
  }, BROWSER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await app?.close();
  });

  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it(
    'loads /docs with the document and no script or CSP error',
    async () => {
      await expect(page.locator('.swagger-ui .title').first().textContent()).resolves.toContain(
        'Tessera',
      );
      await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui-docs.png') });
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'Tencent: Authorize with a password-grant bearer token, then POST /change_user_password answers 200',
    async () => {
      const user = await newUser();
      const token = await passwordGrantToken(user);
      await authorize('bearer', token);

      const operation = await openOperation(
        'Tencent Cloud CIAM',
        'TencentCiamController_changeUserPassword',
      );
      await setBody(operation, { old_password: user.password, new_password: 'Tried-In-Swagger-1' });
      await expectResponse(operation, 200, 'swagger-ui-tencent-change.png');
      await signIn(user.username, 'Tried-In-Swagger-1');
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'Huawei: Authorize with an X-Auth-Token, then POST /v3/users/{user_id}/password answers 204',
    async () => {
      const user = await newUser();
      const authToken = await huaweiToken(user);
      await authorize('x-auth-token', authToken);

      const operation = await openOperation(
        'Huawei Cloud IAM',
        'HuaweiIamController_changePassword',
      );
      await operation.locator('tr[data-param-name="user_id"] input').fill(user.user_id);
      await setBody(operation, {
        user: { password: 'Tried-In-Swagger-2', original_password: user.password },
      });
      await expectResponse(operation, 204, 'swagger-ui-huawei-change.png');
      await signIn(user.username, 'Tried-In-Swagger-2');
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'IDaaS SDK: Authorize with an id_token, device headers, then POST /api/v2/sdk/pwd/change answers 200',
    async () => {
      const user = await newUser();
      const idToken = await sdkIdToken(user);
      await authorize('bearer', idToken);
      await authorize('idaas-sdk-client', client.client_id);

      const operation = await openOperation('IDaaS SDK', 'IdaasSdkController_change');
      for (const [name, value] of Object.entries(DEVICE_HEADERS)) {
        await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
      }
      await setBody(operation, { old_password: user.password, new_password: 'Tried-In-Swagger-3' });
      await expectResponse(operation, 200, 'swagger-ui-idaas-sdk-change.png');
      await signIn(user.username, 'Tried-In-Swagger-3');
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  // --- through the API: what the browser steps need -------------------------------------------

  async function newUser(): Promise<TestUser> {
    return createUser(app, await adminToken(app));
  }

  async function passwordGrantToken(user: TestUser): Promise<string> {
    const res = await request(app.getHttpServer())
      .post('/oauth2/token')
      .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
      .type('form')
      .send({
        grant_type: 'password',
        username: user.username,
        password: user.password,
        scope: 'openid',
      })
      .expect(200);
    return res.body.access_token as string;
  }

  async function huaweiToken(user: TestUser): Promise<string> {
    const res = await request(app.getHttpServer())
      .post('/v3/auth/tokens')
      .send({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: user.username, password: user.password, domain: { name: 'acme' } },
            },
          },
        },
      })
      .expect(201);
    return res.headers['x-subject-token'];
  }

  async function sdkIdToken(user: TestUser): Promise<string> {
    const res = await request(app.getHttpServer())
      .post('/api/v2/sdk/login')
      .set({ ...DEVICE_HEADERS, 'X-client-id': client.client_id })
      .send({ user_name: user.username, password: user.password })
      .expect(200);
    expect(res.body.status).toBe('SUCCESS');
    return res.body.id_token as string;
  }

  /** The password the browser set is the one that now signs in: the request really ran. */
  async function signIn(username: string, password: string): Promise<void> {
    await request(app.getHttpServer())
      .post('/oauth2/token')
      .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
      .type('form')
      .send({ grant_type: 'password', username, password })
      .expect(200);
  }

  // --- in the browser ---------------------------------------------------------------------------

  /** Authorize dialog: log the scheme out if it holds an earlier value, fill it, authorize, close. */
  async function authorize(scheme: string, value: string): Promise<void> {
    await page.locator('.auth-wrapper .btn.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor();
    const form = dialog.locator('.auth-container', {
      has: page.locator('h4', { hasText: new RegExp(`^${scheme}\\b`) }),
    });
    const logout = form.locator('button', { hasText: 'Logout' });
    if (await logout.count()) await logout.click();
    await form.locator('input').first().fill(value);
    await form.locator('button.authorize', { hasText: 'Authorize' }).click();
    await form.locator('button', { hasText: 'Logout' }).waitFor();
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `swagger-ui-authorize-${scheme}.png`) });
    await dialog.locator('button.close-modal').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Expands an operation and switches it to "Try it out". */
  async function openOperation(tag: string, operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-${tag.replace(/\s/g, '_')}-${operationId}`);
    await operation.scrollIntoViewIfNeeded();
    if (!(await operation.locator('.try-out').count())) {
      await operation.locator('.opblock-summary').first().click();
    }
    await operation.locator('button.try-out__btn', { hasText: 'Try it out' }).click();
    return operation;
  }

  async function setBody(operation: Locator, body: unknown): Promise<void> {
    await operation.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
  }

  async function expectResponse(
    operation: Locator,
    status: number,
    screenshot: string,
  ): Promise<void> {
    await operation.locator('button.execute').click();
    const liveStatus = operation.locator('.live-responses-table .response .response-col_status');
    await liveStatus.first().waitFor();
    await operation.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: false });
    await expect(liveStatus.first().textContent()).resolves.toContain(String(status));
  }
});

/** A port free on loopback now, so that ISSUER can name it before the app listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
