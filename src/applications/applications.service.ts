import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { isUniqueViolation } from '../database/unique-violation';
import { SecretDigestService } from '../keys/secret-digest.service';
import {
  Application,
  type ApplicationType,
  DEFAULT_ID_TOKEN_ALGORITHM,
  type IdTokenAlgorithm,
  isConfidential,
} from './application.entity';

const SECRET_PURPOSE = 'client-secret';
const DEFAULT_SCOPES: Record<ApplicationType, string[]> = {
  web: ['openid', 'profile'],
  spa: ['openid', 'profile'],
  mobile: ['openid', 'profile'],
  m2m: [],
};

/**
 * How long a replica serves an application from memory. Writes through this service drop the
 * entry at once here; other replicas see a deletion or change within this time.
 */
export const APPLICATION_CACHE_TTL_MS = 5_000;
/** Applications kept in memory; past this many the oldest are dropped. */
const APPLICATION_CACHE_SIZE = 1_000;

export interface CreateApplicationInput {
  name: string;
  type: ApplicationType;
  scopes?: string[];
  idTokenSignedResponseAlg?: IdTokenAlgorithm;
}

export interface UpdateApplicationInput {
  idTokenSignedResponseAlg?: IdTokenAlgorithm;
}

/** OAuth clients. Secrets are generated here, shown once, stored as HMAC digests. */
@Injectable()
export class ApplicationsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApplicationsService.name);
  /**
   * Applications by client id, read at most once per {@link APPLICATION_CACHE_TTL_MS}: every token
   * request and client-token check needs its application, which changes rarely. Misses are not
   * cached, so a new application is usable at once on every replica.
   */
  private readonly cache = new Map<string, { application: Application; loadedAt: number }>();

  constructor(
    @InjectRepository(Application) private readonly applications: Repository<Application>,
    private readonly digests: SecretDigestService,
    private readonly config: AppConfig,
  ) {}

  /** Ensures the bootstrap administrator client exists with the configured secret. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminClientId, adminClientSecret } = this.config;
    if (!adminClientId || !adminClientSecret) return;
    const now = new Date();
    const secretDigest = this.digests.digest(adminClientSecret, SECRET_PURPOSE);
    try {
      await this.applications.insert({
        clientId: adminClientId,
        name: 'Bootstrap administrator',
        type: 'm2m',
        secretDigest,
        scopes: 'admin',
        createdAt: now,
        updatedAt: now,
      });
      this.logger.log({ clientId: adminClientId }, 'Created the bootstrap administrator client');
    } catch (error) {
      // Exists already (an earlier start, or another replica starting now): align the secret.
      if (!isUniqueViolation(error)) throw error;
      await this.applications.update(
        { clientId: adminClientId },
        { secretDigest, type: 'm2m', scopes: 'admin', updatedAt: now },
      );
      this.cache.delete(adminClientId);
    }
  }

  async create(
    input: CreateApplicationInput,
  ): Promise<{ application: Application; clientSecret?: string }> {
    const clientSecret = isConfidential(input.type) ? this.digests.randomSecret(32) : undefined;
    const now = new Date();
    const application = this.applications.create({
      clientId: randomBytes(16).toString('hex'),
      name: input.name,
      type: input.type,
      secretDigest: clientSecret ? this.digests.digest(clientSecret, SECRET_PURPOSE) : null,
      scopes: [...new Set(input.scopes ?? DEFAULT_SCOPES[input.type])].join(' '),
      idTokenSignedResponseAlg: input.idTokenSignedResponseAlg ?? DEFAULT_ID_TOKEN_ALGORITHM,
      createdAt: now,
      updatedAt: now,
    });
    await this.applications.insert(application);
    return { application, clientSecret };
  }

  async findByClientId(clientId: string): Promise<Application | null> {
    const now = Date.now();
    const cached = this.cache.get(clientId);
    if (cached && now - cached.loadedAt < APPLICATION_CACHE_TTL_MS) return cached.application;
    this.cache.delete(clientId);
    const application = await this.applications.findOneBy({ clientId });
    if (application) {
      if (this.cache.size >= APPLICATION_CACHE_SIZE) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.set(clientId, { application, loadedAt: now });
    }
    return application;
  }

  async require(clientId: string): Promise<Application> {
    const application = await this.findByClientId(clientId);
    if (!application) throw new IdentityError(IdentityErrorCode.APPLICATION_NOT_FOUND);
    return application;
  }

  /** Changes the fields given; ID tokens issued from now on follow a new algorithm. */
  async update(clientId: string, input: UpdateApplicationInput): Promise<Application> {
    const application = await this.require(clientId);
    if (input.idTokenSignedResponseAlg === undefined) return application;
    const changes = {
      idTokenSignedResponseAlg: input.idTokenSignedResponseAlg,
      updatedAt: new Date(),
    };
    const result = await this.applications.update({ clientId }, changes);
    if (!result.affected) throw new IdentityError(IdentityErrorCode.APPLICATION_NOT_FOUND);
    return Object.assign(application, changes);
  }

  async remove(clientId: string): Promise<void> {
    this.cache.delete(clientId);
    const result = await this.applications.delete({ clientId });
    // Again: a read that raced the delete may have cached the row.
    this.cache.delete(clientId);
    if (!result.affected) throw new IdentityError(IdentityErrorCode.APPLICATION_NOT_FOUND);
  }

  scopesOf(application: Application): string[] {
    return application.scopes.split(' ').filter(Boolean);
  }

  /**
   * Client authentication. Confidential clients (web, m2m) need their secret; public clients
   * (spa, mobile) cannot keep one and are identified by client_id alone (a secret they send is
   * ignored). The digest comparison runs for unknown clients too, so timing does not tell.
   */
  async authenticateClient(
    clientId: string,
    clientSecret: string | undefined,
  ): Promise<Application> {
    const application = clientId ? await this.findByClientId(clientId) : null;
    const confidential = application ? isConfidential(application.type) : true;
    const secretMatches = this.digests.matches(
      clientSecret ?? '',
      application?.secretDigest,
      SECRET_PURPOSE,
    );
    if (!application) throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
    if (confidential && (!clientSecret || !secretMatches)) {
      throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
    }
    return application;
  }
}
