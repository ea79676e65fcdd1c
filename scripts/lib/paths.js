const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const pkg = require(path.join(root, 'package.json'));

module.exports = { root, dist, pkg };
