// Preloaded by the bench into a measured process: writes its peak resident memory (KiB) on exit.
const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS)));
