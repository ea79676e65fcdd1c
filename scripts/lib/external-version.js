const fs = require('node:fs');
const path = require('node:path');

const { dist } = require('./paths');
const { installedVersion } = require('./runtime-deps');

function versionIfInstalled(name) {
  try {
    return installedVersion(name);
  } catch {
    return undefined;
  }
}

/**
 * dist/externalVersion.js lists the versions of the app-provided packages the plugin was built against;
 * the plugin manager compares them with the running app to flag incompatible plugins. Packages that are
 * not installed here (@nocobase/client) are left out rather than guessed.
 */
function writeExternalVersion(externals) {
  const versions = {};
  for (const name of [...new Set(externals)].sort()) {
    const version = versionIfInstalled(name);
    if (version) versions[name] = version;
  }
  fs.writeFileSync(
    path.join(dist, 'externalVersion.js'),
    `module.exports = ${JSON.stringify(versions, null, 2)};\n`,
  );
}

module.exports = { writeExternalVersion };
