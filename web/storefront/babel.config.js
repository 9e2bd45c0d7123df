// hot: false — the H5 dev server runs without hot reload (config devServer.hot = false), so the
// react-refresh babel plugin must be off too, or pages fail with "$RefreshReg$ is not defined".
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', hot: false }]],
};
