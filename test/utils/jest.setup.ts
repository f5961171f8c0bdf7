// Tests default to an in-memory SQLite database with the real migrations and a cheap bcrypt cost;
// CI sets DATABASE_URL to run the same suite against MariaDB.
process.env.NODE_ENV ??= 'test';
process.env.DATABASE_URL ??= 'sqlite::memory:';
process.env.BCRYPT_COST ??= '4';
process.env.LOG_LEVEL ??= 'silent';
