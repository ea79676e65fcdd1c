import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const LOCALES = ['en-US', 'zh-CN', 'ru-RU'];

function readLocale(name: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(root, 'locale', `${name}.json`), 'utf8'));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__tests__' ? [] : sourceFiles(file);
    }
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Texts passed to t('...') or tval('...') in the client, and the check messages of common/configChecks. */
function usedTexts(): string[] {
  const texts = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'client'))) {
    const code = fs.readFileSync(file, 'utf8');
    for (const match of code.matchAll(/\b(?:t|tval)\(\s*(['"])((?:\\.|(?!\1).)*?)\1/gs)) {
      texts.add(match[2].replace(/\\(['"])/g, '$1'));
    }
  }
  const checks = fs.readFileSync(path.join(root, 'common', 'configChecks.ts'), 'utf8');
  for (const match of checks.matchAll(/\|\s*'((?:\\.|[^'])*)'/g)) {
    texts.add(match[1].replace(/\\'/g, "'"));
  }
  return [...texts];
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((match) => match[1]).sort();

describe('client/locale', () => {
  const used = usedTexts();

  it('finds the texts of the panels', () => {
    expect(used).toEqual(expect.arrayContaining(['Webhook event', 'Response', 'Parse', 'HTTP basic authentication']));
  });

  it.each(LOCALES)('%s translates every text the client uses, and nothing else', (name) => {
    const locale = readLocale(name);
    expect(Object.keys(locale).sort()).toEqual([...used].sort());
    for (const [key, text] of Object.entries(locale)) {
      expect(text.trim()).not.toBe('');
      expect(placeholders(text)).toEqual(placeholders(key));
    }
  });

  it('no schema text breaks the {{t(...)}} template it is put into', () => {
    for (const key of Object.keys(readLocale('en-US'))) {
      expect(key.replace(/{{\s*\w+\s*}}/g, '')).not.toMatch(/}}|{{/);
    }
  });

  it('zh-CN and ru-RU are translations, not copies of the English text', () => {
    const english = readLocale('en-US');
    for (const name of ['zh-CN', 'ru-RU']) {
      const locale = readLocale(name);
      const copied = Object.keys(english).filter((key) => locale[key] === key && /[a-z]{3}/.test(key));
      expect(copied).toEqual([]);
    }
  });
});
