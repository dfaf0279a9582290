// Lint: bug-catching rules (type-aware) and the layer rules that keep the house in one piece.
// Formatting is not linted: no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

// Bare names are listed as exact `paths` (a `group` pattern "http" would also match "./http").
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));
const NODE_PREFIXED = ['node:*'];
const ELECTRON = ['electron'];
const ELECTRON_SUBPATHS = ['electron/*'];
/** Packages that only make sense in the Node process. */
const NODE_ONLY_PACKAGES = [
  'better-sqlite3', 'bonjour-service', 'commander', 'cookie', 'express', 'express-rate-limit', 'pino', 'pino-pretty',
];
const UI_PACKAGES = ['vue', 'vue-router', 'pinia', 'naive-ui', 'dayjs'];
const UI_PACKAGE_SCOPES = ['@vicons/*'];

const names = (list, message) => list.map((name) => ({ name, message }));
const restrict = (group, message) => ({ group, message });

const RENDERER_NO_NODE = 'The renderer runs in a sandboxed page: no Node built-ins. Ask the core through the admin API.';
const RENDERER_NO_ELECTRON = 'The renderer never imports electron; the preload exposes the few named functions it needs.';
const CORE_NO_ELECTRON = 'The core runs without Electron (headless CLI, tests): never import electron here.';
const ENTRIES_NO_ELECTRON =
  'Only the Electron entry (src/main/index.ts) and src/main/shell may import electron; this file also serves the headless CLI.';

/**
 * Layer rules on bare module names. Each file matches exactly one of these blocks, because a later
 * block's options would replace an earlier one's for the same rule.
 */
const importRulesByLayer = [
  {
    name: 'layers/renderer',
    files: ['src/renderer/**/*.{ts,vue}'],
    paths: [
      ...names(NODE_BUILTINS, RENDERER_NO_NODE),
      ...names(ELECTRON, RENDERER_NO_ELECTRON),
      ...names(NODE_ONLY_PACKAGES, 'This package belongs to the Node process, not the renderer.'),
    ],
    patterns: [restrict(NODE_PREFIXED, RENDERER_NO_NODE), restrict(ELECTRON_SUBPATHS, RENDERER_NO_ELECTRON)],
  },
  {
    name: 'layers/shared',
    files: ['src/shared/**/*.ts'],
    patterns: [
      {
        // plain TypeScript only: relative imports inside src/shared, and zod for the contracts
        regex: '^(?!\\.{1,2}/|zod$)',
        message: 'src/shared imports no runtime (node:, electron, vue, express, ...): only zod and other files of src/shared.',
      },
    ],
  },
  {
    name: 'layers/core',
    files: ['src/main/core/**/*.ts'],
    paths: [...names(ELECTRON, CORE_NO_ELECTRON), ...names(UI_PACKAGES, 'The core is Node only: no UI packages.')],
    patterns: [restrict(ELECTRON_SUBPATHS, CORE_NO_ELECTRON), restrict(UI_PACKAGE_SCOPES, 'The core is Node only: no UI packages.')],
  },
  {
    name: 'layers/entries',
    // everything in src/main that serves the headless CLI too: only the Electron entry and the shell may use electron
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/core/**', 'src/main/shell/**', 'src/main/index.ts'],
    paths: [...names(ELECTRON, ENTRIES_NO_ELECTRON), ...names(UI_PACKAGES, 'The main process does not use UI packages.')],
    patterns: [restrict(ELECTRON_SUBPATHS, ENTRIES_NO_ELECTRON), restrict(UI_PACKAGE_SCOPES, 'The main process does not use UI packages.')],
  },
  {
    name: 'layers/simulator',
    files: ['src/simulator/**/*.ts'],
    paths: [...names(ELECTRON, 'The simulator is a plain Node program: no electron.'), ...names(UI_PACKAGES, 'The simulator has no UI.')],
    patterns: [restrict([...ELECTRON_SUBPATHS, ...UI_PACKAGE_SCOPES], 'The simulator is a plain Node program: no electron, no UI.')],
  },
  {
    name: 'layers/preload',
    files: ['src/preload/**/*.ts'],
    paths: names([...UI_PACKAGES, ...NODE_ONLY_PACKAGES], 'The preload only bridges named functions with electron.'),
  },
].map(({ name, files, ignores, paths = [], patterns = [] }) => ({
  name,
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
}));

/**
 * Layer rules on local paths, resolved to files (a relative specifier alone does not say which
 * folder it lands in). One zone list for every file: a zone's `target` picks the importing files.
 */
const LAYER_ZONES = [
  {
    target: './src/renderer',
    from: ['./src/main', './src/preload', './src/simulator', './tests', './bench', './scripts'],
    message: 'The renderer never imports main-process code: it talks to the core through src/renderer/src/api and shares only src/shared.',
  },
  {
    target: ['./src/renderer/src/components', './src/renderer/src/views', './src/renderer/src/composables', './src/renderer/src/*.vue'],
    from: ['./src/renderer/src/api/client.ts', './src/renderer/src/api/upload.ts', './src/renderer/src/api/sse.ts'],
    message: 'Only stores call the admin API: use (or add) a store action. ApiError and messageOf come from api/http.',
  },
  {
    target: './src/shared',
    from: './',
    except: ['./src/shared', './node_modules'],
    message: 'src/shared is plain TypeScript and imports nothing local outside src/shared.',
  },
  {
    target: './src/main/core',
    from: './src/main',
    except: ['./core'],
    message: 'The core never imports the Electron shell, the entries or the CLI: they import the core.',
  },
  {
    target: './src/main/core',
    from: ['./src/renderer', './src/preload', './src/simulator', './tests', './bench', './scripts'],
    message: 'The core imports only itself and src/shared.',
  },
  {
    // the CLI runs without Electron: only the Electron entry may reach the shell
    target: ['./src/main/!(shell|core)/**', './src/main/!(index).ts'],
    from: './src/main/shell',
    message: 'Only the Electron entry (src/main/index.ts) uses the shell; the CLI runs without Electron.',
  },
  {
    target: ['./src/main', './src/preload'],
    from: ['./src/renderer', './src/simulator', './tests', './bench', './scripts'],
    message: 'The app does not import the renderer, the simulator or test code.',
  },
  {
    target: './src/preload',
    from: './src/main',
    message: 'The preload is sandboxed: it shares only src/shared with the main process.',
  },
  {
    target: './src/simulator',
    from: ['./src/main', './src/renderer', './src/preload', './tests', './bench'],
    message: 'The simulator is a stand-alone device: it shares only src/shared with the app.',
  },
];

const TS_PROJECTS = ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.web-tests.json', 'tsconfig.e2e.json'];

export default defineConfig(
  {
    name: 'ignores',
    ignores: ['out/**', 'dist/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'firmware/**', '**/node_modules/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/essential'],
  {
    name: 'typescript/type-aware',
    files: ['**/*.{ts,vue}'],
    languageOptions: {
      parserOptions: {
        // tsconfig.json references the four typecheck configs; each file gets the program of the one that includes it
        projectService: true,
        tsconfigRootDir: root,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      // rethrowing an error kept from a failed step (typed unknown, as caught) is legitimate
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    name: 'vue/typescript-parser',
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    name: 'javascript/node',
    files: ['**/*.{js,mjs}'],
    rules: tseslint.configs.disableTypeChecked.rules,
    languageOptions: { globals: globals.node },
  },
  {
    name: 'project-rules',
    files: ['**/*.{ts,vue,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({
          project: TS_PROJECTS.map((p) => `${root}/${p}`),
          noWarnOnMultipleProjects: true,
        }),],
      'import-x/extensions': ['.ts', '.vue', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: LAYER_ZONES }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    name: 'vue/no-undef',
    // TypeScript already reports undefined names in .vue scripts, knowing the DOM and Vue globals
    files: ['**/*.vue'],
    rules: { 'no-undef': 'off' },
  },
  {
    name: 'layers/shared-globals',
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'window', 'document', 'navigator', 'localStorage']
          .map((name) => ({ name, message: 'src/shared runs in both processes: no Node or DOM globals.' })),
      ],
    },
  },
  {
    name: 'tests/untyped-replies',
    // Tests read reply bodies as the documented `any` of the raw HTTP helper and assert on their
    // fields; the no-unsafe-* rules would only force casts there. They stay on for the application.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...importRulesByLayer,
);
