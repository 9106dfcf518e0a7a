import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const documents = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

/** The document without its fenced code blocks and inline code, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = heading
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count ? `${slug}-${count}` : slug);
  }
  return result;
}

/** Every relative link and image of a document: [text](target) and ![alt](target). */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...withoutCode.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target).filter((target) => !/^[a-z]+:/i.test(target));
}

describe('the documentation links resolve', () => {
  it.each(documents)('every relative link and image in %s names a file of the checkout, and a heading of it', (document) => {
    const markdown = fs.readFileSync(path.join(root, document), 'utf8');
    const broken = relativeLinks(markdown).filter((target) => {
      const [file, anchor] = target.split('#');
      const resolved = file ? path.join(root, path.dirname(document), decodeURIComponent(file)) : path.join(root, document);
      if (!fs.existsSync(resolved)) return true;
      return anchor !== undefined && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it.each(documents)('%s sends a reader to nothing outside the checkout (no design notes, rule numbers or section marks)', (document) => {
    const text = fs.readFileSync(path.join(root, document), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    expect(text.match(/\.\.\/shared|DESIGN\.md|\bR\d{1,2}a?\b|§\s?\d|the bank's FAQ/g) ?? []).toEqual([]);
  });
});
