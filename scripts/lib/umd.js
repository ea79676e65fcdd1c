/**
 * Wraps a CommonJS bundle as UMD with a named AMD define, the format the NocoBase page loads with requirejs.
 * The bundle's require() calls are answered from the modules the loader hands to the factory.
 */
function wrapUmd(name, deps, cjsCode) {
  const depsJson = JSON.stringify(deps);
  const nameJson = JSON.stringify(name);
  return `(function (root, factory) {
  var deps = ${depsJson};
  if (typeof exports === 'object' && typeof module === 'object') {
    module.exports = factory.apply(null, deps.map(function (dep) { return require(dep); }));
  } else if (typeof define === 'function' && define.amd) {
    define(${nameJson}, deps, factory);
  } else {
    root[${nameJson}] = factory.apply(null, deps.map(function (dep) { return root[dep]; }));
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';
  var provided = {};
  var names = ${depsJson};
  for (var i = 0; i < names.length; i++) provided[names[i]] = arguments[i];
  var require = function (dep) {
    if (Object.prototype.hasOwnProperty.call(provided, dep)) return provided[dep];
    throw new Error(${nameJson} + ': module "' + dep + '" is not provided by the page');
  };
  var module = { exports: {} };
  var exports = module.exports;
${cjsCode.replace(/^"use strict";\n/, '')}
  return module.exports;
});
`;
}

module.exports = { wrapUmd };
