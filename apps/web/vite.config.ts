import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const lazyMarkdownFile = fileURLToPath(new URL('./src/lazyMarkdown.tsx', import.meta.url));

/**
 * RJSF imports markdown-to-jsx (86 kB) into every form for Markdown
 * descriptions, which Lianxin's forms seldom use: its imports get
 * ./src/lazyMarkdown.tsx, which loads the real one when a form renders Markdown.
 */
function lazyMarkdown(): Plugin {
  return {
    name: 'lianxin-lazy-markdown',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'markdown-to-jsx/react' && importer?.includes('@rjsf'))
        return lazyMarkdownFile;
      return null;
    },
  };
}

const lazyWidgetFile = fileURLToPath(new URL('./src/lazyWidget.tsx', import.meta.url));
const WIDGETS_ID = '\0lianxin-rjsf-antd-widgets';
/** RJSF's antd widgets, in the order @rjsf/antd lists them; the heavy ones load when shown. */
const LIGHT_WIDGETS = [
  'AltDateTimeWidget',
  'AltDateWidget',
  'CheckboxesWidget',
  'CheckboxWidget',
  'PasswordWidget',
  'RadioWidget',
  'SelectWidget',
  'TextareaWidget',
];
const HEAVY_WIDGETS = ['DateTimeWidget', 'DateWidget', 'RangeWidget'];

/**
 * @rjsf/antd imports every widget into every form, the date picker and the
 * slider too (~40 kB compressed), which the citizen's intake form never
 * shows. Its widget list is built here with those two behind lazyWidget.
 */
function lazyHeavyWidgets(): Plugin {
  let widgetsDir = '';
  return {
    name: 'lianxin-lazy-rjsf-widgets',
    enforce: 'pre',
    resolveId(source, importer) {
      if (
        source === './widgets/index.js' &&
        importer &&
        /@rjsf[/\\]antd[/\\]lib[/\\]index\.js$/.test(importer)
      ) {
        widgetsDir = join(dirname(importer), 'widgets');
        return WIDGETS_ID;
      }
      return null;
    },
    load(id) {
      if (id !== WIDGETS_ID) return null;
      const path = (name: string) => JSON.stringify(join(widgetsDir, name, 'index.js'));
      return [
        `import { lazyWidget } from ${JSON.stringify(lazyWidgetFile)};`,
        ...LIGHT_WIDGETS.map((w) => `import ${w} from ${path(w)};`),
        ...HEAVY_WIDGETS.map((w) => `const ${w} = lazyWidget(() => import(${path(w)}));`),
        `export function generateWidgets() { return { ${[...LIGHT_WIDGETS, ...HEAVY_WIDGETS].join(', ')} }; }`,
        'export default generateWidgets();',
      ].join('\n');
    },
  };
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes `<file>.br` (brotli) and `<file>.gz` (gzip -9) beside each
 * script, style sheet and page of the build: the server sends them to
 * clients that take them (apps/server/src/http/static.ts) without
 * compressing on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'lianxin-precompress',
    // Not the browser tests' in-memory build (mode e2e): nobody downloads it over a network.
    apply: (_config, env) => env.command === 'build' && env.mode !== 'e2e',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const names = [...Object.keys(bundle), 'index.html'].filter(
        (name, i, all) => /\.(js|css|html|svg|json)$/.test(name) && all.indexOf(name) === i,
      );
      await Promise.all(
        names.map(async (name) => {
          const file = join(outDir, name);
          const raw = await readFile(file).catch(() => undefined);
          if (!raw || raw.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(raw, {
              params: {
                // The best for what a page loads first; a little less for the big page chunks.
                [constants.BROTLI_PARAM_QUALITY]: raw.length > 512 * 1024 ? 9 : 11,
                [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            }),
            gzipAsync(raw, { level: 9 }),
          ]);
          await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
        }),
      );
    },
  };
}

// Workspace packages export TypeScript source; Vite compiles them with the app.
// Every page is its own chunk (src/pages/lazy.tsx); the server sends them
// compressed (apps/server/src/http/static.ts).
export default defineConfig({
  plugins: [react(), lazyMarkdown(), lazyHeavyWidgets(), precompress()],
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/files': 'http://127.0.0.1:3000' } },
  build: { chunkSizeWarningLimit: 2500, sourcemap: false },
});
