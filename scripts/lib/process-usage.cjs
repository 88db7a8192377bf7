// Preloaded by the bench into a measured process: writes its CPU time (s) and peak resident memory (KiB) on exit.
const file = process.env.PROCESS_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeFileSync(file, JSON.stringify({ cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakKiB: usage.maxRSS }));
  });
}
