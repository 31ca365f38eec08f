// Mermaid's own parser as the test oracle: `node mermaid_parse.mjs TOOLS_DIR FILE` prints "ok" or
// the parser's error (exit 1). Mermaid wants a DOM even to parse: jsdom gives it one.
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import fs from 'fs';
import path from 'path';

const [tools, file] = process.argv.slice(2);
const require = createRequire(path.join(tools, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
try {
  await mermaid.parse(fs.readFileSync(file, 'utf8'));
  console.log('ok');
} catch (e) {
  console.log(String(e.message || e).slice(0, 400));
  process.exit(1);
}
