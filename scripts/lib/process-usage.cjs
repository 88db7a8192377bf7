// Preloaded by the bench into a measured process: writes on exit its CPU time (s), its children's (those
// it waited for, and theirs: terraform and its providers) and its peak resident memory (KiB).
const file = process.env.PROCESS_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const fs = require('node:fs');
    const usage = process.resourceUsage();
    // /proc/self/stat fields 16 and 17: cutime and cstime, in clock ticks (100 a second on Linux).
    const stat = fs.existsSync('/proc/self/stat') ? fs.readFileSync('/proc/self/stat', 'utf8') : '';
    const [cutime, cstime] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(13, 15)
      .map(Number);
    fs.writeFileSync(
      file,
      JSON.stringify({ cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, childrenCpuSeconds: (cutime + cstime) / 100 || 0, peakKiB: usage.maxRSS }),
    );
  });
}
