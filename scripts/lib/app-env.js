const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const { root } = require('./paths');

/**
 * The demo app lives in the ignored storage/ folder: storage/app is the nocobase CLI's working folder.
 * NOCOBASE_APP_DIR points elsewhere, e.g. a fresh folder per end-to-end run.
 */
const appDir = process.env.NOCOBASE_APP_DIR
  ? path.resolve(process.env.NOCOBASE_APP_DIR)
  : path.join(root, 'storage', 'app');
const envFile = path.join(appDir, '.env');

/** Paths in these variables are relative to the folder npm start runs in; the CLI runs in appDir. */
const PATH_VARIABLES = ['DB_STORAGE', 'STORAGE_PATH'];
const DB_FILE = 'nocobase.sqlite';

function defaultEnv() {
  return {
    APP_ENV: 'production',
    APP_KEY: randomBytes(32).toString('hex'),
    APP_PORT: '13000',
    DB_DIALECT: 'sqlite',
    DB_STORAGE: `storage/db/${DB_FILE}`,
    INIT_ROOT_EMAIL: 'admin@nocobase.com',
    INIT_ROOT_PASSWORD: 'admin123',
    APP_LAUNCH_MODE: 'node',
    DB_LOGGING: 'off',
  };
}

function parseEnvFile(text) {
  const values = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

function formatEnvFile(values) {
  return `${Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/**
 * The CLI runs `yarn nocobase pkg download-pro` first. yarn runs in the nearest folder holding a package.json;
 * this one keeps it in storage/app (instead of the project root) and maps `nocobase` to the CLI on PATH, like
 * the package.json of an app made by create-nocobase-app.
 */
const appPackageJson = { name: 'nocobase-demo-app', private: true, scripts: { nocobase: 'nocobase' } };

function writeIfMissing(file, content) {
  if (fs.existsSync(file)) return false;
  fs.writeFileSync(file, content);
  return true;
}

/**
 * Creates storage/app with its .env once (APP_KEY is generated then and kept: it signs tokens), the empty
 * .env.e2e.example the nocobase CLI insists on, and the package.json above. Existing files are never rewritten.
 */
function ensureAppFolder() {
  fs.mkdirSync(appDir, { recursive: true });
  if (writeIfMissing(envFile, formatEnvFile(defaultEnv()))) {
    console.log(`[start] created ${path.relative(root, envFile)}`);
  }
  writeIfMissing(path.join(appDir, '.env.e2e.example'), '');
  writeIfMissing(path.join(appDir, 'package.json'), `${JSON.stringify(appPackageJson, null, 2)}\n`);
}

/** Path variables set in the caller's environment, made absolute so they mean the same in appDir. */
function absolutePathOverrides(env) {
  const overrides = {};
  for (const key of PATH_VARIABLES) {
    const value = env[key];
    if (value && value !== ':memory:' && !path.isAbsolute(value)) overrides[key] = path.resolve(value);
  }
  return overrides;
}

/** The settings the app will run with: the process environment wins over storage/app/.env, as in dotenv. */
function readSettings(env = process.env) {
  const fromFile = parseEnvFile(fs.readFileSync(envFile, 'utf8'));
  const merged = { ...fromFile, ...definedOnly(env), ...absolutePathOverrides(env) };
  return {
    port: Number(merged.APP_PORT),
    dialect: merged.DB_DIALECT,
    dbStorage: path.resolve(appDir, merged.DB_STORAGE || path.join(merged.STORAGE_PATH || 'storage', 'db', DB_FILE)),
    rootAccount: merged.INIT_ROOT_EMAIL,
    rootPassword: merged.INIT_ROOT_PASSWORD,
  };
}

function definedOnly(env) {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

module.exports = { appDir, ensureAppFolder, readSettings, absolutePathOverrides };
