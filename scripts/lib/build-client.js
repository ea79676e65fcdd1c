const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const { root, dist, pkg } = require('./paths');
const { runNodeBin } = require('./exec');
const { wrapUmd } = require('./umd');

const entry = path.join(root, 'src', 'client', 'index.tsx');
const outDir = path.join(dist, 'client');

/** Modules the NocoBase page provides as AMD modules: never bundled (see ../shared/docs/nocobase.md). */
const PAGE_MODULES = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react-router-dom',
  'antd',
  'antd-style',
  '@ant-design/icons',
  'i18next',
  'react-i18next',
  '@formily/*',
  '@nocobase/client',
  '@nocobase/client-v2',
  '@nocobase/flow-engine',
  '@nocobase/utils/client',
  '@nocobase/evaluators/client',
  '@nocobase/plugin-*',
  'lodash',
  'dayjs',
  'axios',
  'ahooks',
  '@emotion/css',
];

/** Bundles the client into one CommonJS chunk; returns its code and the page modules it requires. */
async function bundleClient() {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    write: false,
    metafile: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    external: PAGE_MODULES,
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const [output] = Object.values(result.metafile.outputs);
  const deps = [...new Set(output.imports.filter((item) => item.external).map((item) => item.path))];
  return { code: result.outputFiles[0].text, deps };
}

/** Declarations for client.d.ts; @nocobase/client resolves to the real package wherever it is installed. */
async function emitClientDeclarations() {
  await runNodeBin(
    'typescript/bin/tsc',
    [
      path.join(root, 'src', 'client', 'index.tsx'),
      path.join(root, 'src', 'client', 'nocobase-client.d.ts'),
      ...['--declaration', '--emitDeclarationOnly', '--strict', '--esModuleInterop', '--skipLibCheck'],
      ...['--jsx', 'react-jsx', '--target', 'ES2021', '--module', 'commonjs', '--moduleResolution', 'node'],
      // rootDir src: the client imports src/common, whose declarations land in dist/common as the server build's do.
      ...['--types', 'node', '--rootDir', path.join(root, 'src'), '--outDir', dist],
    ],
    { cwd: root },
  );
}

async function buildClient() {
  const { code, deps } = await bundleClient();
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'index.js'), wrapUmd(pkg.name, deps, code));
  await emitClientDeclarations();
  return deps;
}

module.exports = { buildClient };
