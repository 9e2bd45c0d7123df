// Taro build config: one source tree, two outputs — `--type weapp` → dist/weapp (open that folder
// in WeChat DevTools), `--type h5` → dist/h5 (a static site; `npm run dev` serves it).
const path = require('node:path');

// The API the pages call. H5 builds read it at build time (npm run dev / the browser tests set it);
// the mini-program needs an https domain registered in the WeChat admin, set the same way.
const API_BASE = process.env.TARO_APP_API_BASE || 'http://localhost:8787';

// npm workspaces hoist most packages to the repo root, but keep a few (those whose peer versions
// differ from the admin's, e.g. react-refresh) here; Taro's own runtime must find them too.
const chainModules = (chain) => {
  chain.resolve.modules.add(path.resolve(__dirname, '..', 'node_modules')).add('node_modules');
};

// web/client is TypeScript shared with the console; compile it like our own source.
const CLIENT_DIR = path.resolve(__dirname, '..', '..', 'client');

module.exports = function (merge) {
  const base = {
    projectName: 'edgemall-storefront',
    date: '2026-12-04',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // STOREFRONT_OUT lets two builds run side by side (e.g. the browser tests' own build).
    outputRoot: process.env.STOREFRONT_OUT || `dist/${process.env.TARO_ENV || 'h5'}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(API_BASE),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      // This tree's client, not whichever web/client node_modules links to (a git worktree shares them).
      '@edgemall/client$': path.join(CLIENT_DIR, 'index.ts'),
      '@edgemall/client': CLIENT_DIR,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      webpackChain: chainModules,
      compile: { include: [CLIENT_DIR] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      // `npm run dev` serves the H5 build here (webpack-dev-server: rebuilds and reloads on save; no
      // fast refresh, which would need one more plugin).
      devServer: { host: '0.0.0.0', port: Number(process.env.STOREFRONT_PORT || 10086), open: false, hot: false },
      webpackChain: (chain) => {
        chainModules(chain);
        // Left alone, webpack gives every lazily loaded page its own copy of Taro's component
        // runtime (~270 KB per page chunk). Modules from node_modules that two or more pages use go
        // into one shared chunk instead, fetched with the first page and cached for the rest.
        chain.optimization.splitChunks({
          cacheGroups: {
            pages: {
              name: 'pages-shared',
              test: /[\\/]node_modules[\\/]/,
              chunks: 'async',
              minChunks: 2,
              priority: 10,
              reuseExistingChunk: true,
              enforce: true,
            },
          },
        });
      },
      compile: { include: [CLIENT_DIR] },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, base, { mini: {}, h5: {} });
  return merge({}, base, {
    h5: {
      // Cloudflare Pages: every client-side route is the app shell.
      copy: { patterns: [{ from: 'src/_redirects', to: `${process.env.STOREFRONT_OUT || 'dist/h5'}/_redirects` }] },
    },
  });
};
