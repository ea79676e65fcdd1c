/** Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per package, and our code's share. */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  file: string;
  /** Length of the analysed window (the load), and whether it had to fall back to the whole profile. */
  windowSeconds: number;
  wholeProfile: boolean;
  /** The load window in the profile's clock (µs, CLOCK_MONOTONIC), to re-read the profile later. */
  window?: { fromUs: number; toUs: number };
  busyMs: number;
  idleMs: number;
  /** Busy CPU over the window's wall time: below 1, the app's single thread was waiting (I/O, locks, timers). */
  busyShareOfWindow: number;
  topFunctions: Array<{ function: string; location: string; selfMs: number; share: number }>;
  topPackages: Array<{ package: string; selfMs: number; share: number }>;
  /** Self time of every package, by what it does for the app (`groupOfPackage`), largest first. */
  byGroup: Array<{ group: PackageGroup; selfMs: number; share: number }>;
  /**
   * The webhook's own parsing and mapping: samples with the body reader and parsers (webhookBody, bodyParsers) or the
   * request-to-context mapping (requestContext: headers, query string, rows) anywhere on the stack, including the
   * qs, lodash and JSON.parse calls they make.
   */
  parsingInclusiveShare: number;
  /**
   * Where the parsing and mapping time goes: its samples by the innermost parsing-file function on the stack (which
   * step of the work), with the share of busy CPU, largest first.
   */
  parsingByFunction: Array<{ function: string; location: string; ms: number; share: number }>;
  /** Self time in the webhook's request path files (requestContext, basicAuth, httpAnswer, WebhookRequestHandler). */
  ourSelfShare: number;
  /**
   * The whole request path: samples with one of those files anywhere on the stack (parsing and mapping, but also the
   * auth and guard checks, the request log, writing the answer through koa). Not the samples that are recording the
   * execution (a recorder file on the stack), which the handler starts synchronously: `recorderInclusiveShare`.
   */
  ourInclusiveShare: number;
  /** Samples with a recorder (GroupCommitRecorder, EngineQueueRecorder) on the stack: writing the execution. */
  recorderInclusiveShare: number;
  /** Samples with any src/server file on the stack (includes the synchronous part of writing the execution). */
  pluginInclusiveShare: number;
  ourFilesSelfMs: Record<string, number>;
}

const OUR_REQUEST_PATH = /src\/server\/(requestContext|basicAuth|httpAnswer|WebhookRequestHandler)\.ts$/;
const PARSING_AND_MAPPING = /src\/(server\/(requestContext|webhookBody|bodyParsers)|common\/queryString)\.ts$/;
const PLUGIN_SOURCE = /src\/server\/(?!__tests__)[^/]+\.ts$/;
const RECORDER = /src\/server\/(GroupCommitRecorder|EngineQueueRecorder)\.ts$/;
const SPECIAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)']);

function filePath(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}

/** The npm package (or runtime part) a frame belongs to. */
export function packageOf(frame: ProfileNode['callFrame'], repoRoot: string): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) {
    return frame.functionName;
  }
  const file = filePath(frame.url);
  if (!file) {
    return '(native)';
  }
  if (file.startsWith('node:')) {
    return 'node (core)';
  }
  const marker = file.lastIndexOf('/node_modules/');
  if (marker >= 0) {
    const [first, second] = file.slice(marker + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const relative = path.relative(repoRoot, file);
  // The app children load the plugin from the copy of src/ the driver takes at the start (bench/.tmp/src).
  if (relative.startsWith('src/') || relative.startsWith('bench/.tmp/src/')) {
    return 'this plugin (src)';
  }
  if (relative.startsWith('bench/')) {
    return 'bench harness';
  }
  return relative.startsWith('..') ? file : relative;
}

export type PackageGroup =
  | 'this plugin'
  | 'workflow engine'
  | 'database'
  | 'logging'
  | 'HTTP, middleware, ACL'
  | 'runtime (node core, GC, native)'
  | 'other packages';

const DATABASE_PACKAGES = /^(sequelize|sqlite3|pg|pg-protocol|pg-pool|pg-types|@nocobase\/database|umzug|wkx|dottie|inflection|toposort-class)$/;
const LOGGING_PACKAGES = /^(winston.*|logform|triple-beam|@nocobase\/logger|safe-stable-stringify|@colors\/colors|file-stream-rotator|fecha|readable-stream)$/;
const HTTP_PACKAGES = /^(koa.*|@koa\/.*|@nocobase\/(server|resourcer|actions|acl|auth|plugin-acl|plugin-auth|data-source-manager)|path-to-regexp|raw-body|co-body|cors|qs|on-finished|statuses|http-errors|delegates|accepts|type-is|mime-types|content-type|cookies)$/;

/** What a package does for the app, to read a profile by its parts: the engine, the database, logging, HTTP. */
export function groupOfPackage(pkg: string): PackageGroup {
  if (pkg === 'this plugin (src)') {
    return 'this plugin';
  }
  if (pkg === '@nocobase/plugin-workflow') {
    return 'workflow engine';
  }
  if (DATABASE_PACKAGES.test(pkg)) {
    return 'database';
  }
  if (LOGGING_PACKAGES.test(pkg)) {
    return 'logging';
  }
  if (HTTP_PACKAGES.test(pkg)) {
    return 'HTTP, middleware, ACL';
  }
  if (pkg === 'node (core)' || pkg.startsWith('(')) {
    return 'runtime (node core, GC, native)';
  }
  return 'other packages';
}

/** A group's share of the busy CPU in a summary (0 when none of its packages ran). */
export function groupShare(summary: Pick<CpuSummary, 'byGroup'>, group: PackageGroup): number {
  return summary.byGroup.find((entry) => entry.group === group)?.share ?? 0;
}

const share = (part: number, whole: number) => (whole > 0 ? Number((part / whole).toFixed(4)) : 0);
const ms = (us: number) => Number((us / 1000).toFixed(1));

export function summarizeCpuProfile(file: string, repoRoot: string, window?: { fromUs: number; toUs: number }): CpuSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const onStack = (pattern: RegExp) => {
    const memo = new Map<number, boolean>();
    const test = (id: number | undefined): boolean => {
      if (id === undefined) {
        return false;
      }
      const known = memo.get(id);
      if (known !== undefined) {
        return known;
      }
      const result = pattern.test(filePath(byId.get(id)?.callFrame.url ?? '')) || test(parent.get(id));
      memo.set(id, result);
      return result;
    };
    return test;
  };
  const ourOnStack = onStack(OUR_REQUEST_PATH);
  const pluginOnStack = onStack(PLUGIN_SOURCE);
  const recorderOnStack = onStack(RECORDER);
  /** The innermost frame of a parsing file on a sample's stack (the sample's own frame first). */
  const parsingFrameOf = (id: number): ProfileNode | undefined => {
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node);
      if (frame && PARSING_AND_MAPPING.test(filePath(frame.callFrame.url))) {
        return frame;
      }
    }
    return undefined;
  };
  const parsingByFrame = new Map<string, { function: string; location: string; us: number }>();

  // Sample i lasts until the next sample's timestamp.
  const stamps: number[] = [];
  let clock = profile.startTime;
  for (const delta of profile.timeDeltas) {
    clock += delta;
    stamps.push(clock);
  }
  const inWindow = (i: number) => !window || (stamps[i] >= window.fromUs && stamps[i] <= window.toUs);
  const wholeProfile = !window || !stamps.some((_, i) => inWindow(i));
  const counted = (i: number) => wholeProfile || inWindow(i);

  const selfByNode = new Map<number, number>();
  let busy = 0;
  let idle = 0;
  let ours = 0;
  let parsing = 0;
  let plugin = 0;
  let recorder = 0;
  for (let i = 0; i < profile.samples.length - 1; i++) {
    if (!counted(i)) {
      continue;
    }
    const id = profile.samples[i];
    const duration = stamps[i + 1] - stamps[i];
    if (byId.get(id)?.callFrame.functionName === '(idle)') {
      idle += duration;
      continue;
    }
    busy += duration;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + duration);
    const recording = recorderOnStack(id);
    if (recording) {
      recorder += duration;
    } else if (ourOnStack(id)) {
      ours += duration;
    }
    const parsingFrame = recording ? undefined : parsingFrameOf(id);
    if (parsingFrame) {
      parsing += duration;
      const frame = parsingFrame.callFrame;
      const location = `${path.basename(filePath(frame.url))}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName}@${location}`;
      const entry = parsingByFrame.get(key) ?? { function: frame.functionName || '(anonymous)', location, us: 0 };
      entry.us += duration;
      parsingByFrame.set(key, entry);
    }
    if (pluginOnStack(id)) {
      plugin += duration;
    }
  }

  const byFunction = new Map<string, { function: string; location: string; self: number }>();
  const byPackage = new Map<string, number>();
  const ourFiles: Record<string, number> = {};
  let ourSelf = 0;
  for (const [id, self] of selfByNode) {
    const { callFrame } = byId.get(id)!;
    const file = filePath(callFrame.url);
    const location = file ? `${path.relative(repoRoot, file)}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName}@${location}`;
    const entry = byFunction.get(key) ?? { function: callFrame.functionName || '(anonymous)', location, self: 0 };
    entry.self += self;
    byFunction.set(key, entry);
    const pkg = packageOf(callFrame, repoRoot);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + self);
    if (OUR_REQUEST_PATH.test(file)) {
      ourSelf += self;
      const name = path.basename(file);
      ourFiles[name] = ms((ourFiles[name] ?? 0) * 1000 + self);
    }
  }
  const byGroup = new Map<PackageGroup, number>();
  for (const [pkg, self] of byPackage) {
    const group = groupOfPackage(pkg);
    byGroup.set(group, (byGroup.get(group) ?? 0) + self);
  }
  const windowUs = wholeProfile ? profile.endTime - profile.startTime : window!.toUs - window!.fromUs;
  return {
    file: path.relative(repoRoot, file),
    windowSeconds: Number((windowUs / 1e6).toFixed(2)),
    wholeProfile,
    window,
    busyMs: ms(busy),
    idleMs: ms(idle),
    busyShareOfWindow: share(busy, windowUs),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.self - a.self)
      .slice(0, 20)
      .map((entry) => ({ function: entry.function, location: entry.location, selfMs: ms(entry.self), share: share(entry.self, busy) })),
    topPackages: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([pkg, self]) => ({ package: pkg, selfMs: ms(self), share: share(self, busy) })),
    byGroup: [...byGroup.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([group, self]) => ({ group, selfMs: ms(self), share: share(self, busy) })),
    parsingInclusiveShare: share(parsing, busy),
    parsingByFunction: [...parsingByFrame.values()]
      .sort((a, b) => b.us - a.us)
      .map((entry) => ({ function: entry.function, location: entry.location, ms: ms(entry.us), share: share(entry.us, busy) })),
    ourSelfShare: share(ourSelf, busy),
    ourInclusiveShare: share(ours, busy),
    pluginInclusiveShare: share(plugin, busy),
    recorderInclusiveShare: share(recorder, busy),
    ourFilesSelfMs: ourFiles,
  };
}
