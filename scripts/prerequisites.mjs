// What `npm test` needs beyond npm. Each missing piece is named with the command that installs
// it, and the run stops at once instead of failing obscurely half-way through.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

const CHECKS = [
  { what: 'Chromium (Playwright e2e)', pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { what: 'g++ and make (firmware host tests)', pkg: 'g++ make', present: () => ok('g++', ['--version']) && ok('make', ['--version']) },
  { what: 'iproute2 (mDNS test namespaces)', pkg: 'iproute2', present: () => ok('ip', ['-V']) },
  { what: 'python3-zeroconf (independent mDNS client)', pkg: 'python3-zeroconf', present: () => ok('/usr/bin/python3', ['-c', 'import zeroconf']) },
  { what: 'dig (legacy unicast mDNS query)', pkg: 'dnsutils', present: () => ok('dig', ['-v']) },
  { what: 'promtool (checks the /metrics exposition)', pkg: 'prometheus', present: () => ok('promtool', ['--version']) },
  { what: 'avahi-daemon and avahi-browse (mDNS interop test)', pkg: 'avahi-utils', present: () => ok('avahi-browse', ['--version']) && existsSync('/usr/sbin/avahi-daemon') },
];

export function checkPrerequisites() {
  const missing = CHECKS.filter((c) => !c.present());
  const problems = [];
  if (missing.length > 0) {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    problems.push(
      `Missing: ${missing.map((m) => m.what).join('; ')}.`,
      `Install with:  ${sudo}apt-get update && ${sudo}apt-get install -y ${missing.map((m) => m.pkg).join(' ')}`,
    );
  }
  if (process.getuid?.() !== 0) {
    problems.push('The mDNS tests create network namespaces and need root: run `sudo npm test`.');
  }
  return problems;
}
