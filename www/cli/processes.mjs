// Processes a launch started, from Linux's /proc (elsewhere none are found and nothing is waited for): browsers.mjs
// finds the WebDriver server it spawned and, at close(), waits until it, the browser and the browser's helper
// processes have exited. Each process is {pid, start}: with its start time, a pid the system reuses is not taken for it.
import { readdirSync, readFileSync } from 'node:fs';

/** Direct children of `pid` (Linux /proc; empty where there is none). */
export function childPids(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
      .split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/**
 * Every process below `pid` as {pid, start} (its start time: a pid the system reuses later is not taken for it), for
 * close() and the tests that check it leaves nothing running.
 */
export function descendants(pid) {
  return childPids(pid).flatMap((child) => {
    const stat = statOf(child);
    return [...(stat ? [{ pid: child, start: stat.start }] : []), ...descendants(child)];
  });
}

/** State and start time (clock ticks since boot) from /proc/PID/stat; null once the process is gone. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3… (the name may hold spaces)
    return { state: fields[0], start: fields[19] };
  } catch {
    return null;
  }
}

/** The child of this process named `name` that is not in `before` (pids), as {pid, start}; null if none. */
export function startedChild(before, name) {
  const comm = (pid) => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return null; } };
  const pid = childPids(process.pid).find((p) => !before.includes(p) && comm(p) === name.slice(0, 15)); // comm: ≤ 15 chars
  const stat = pid && statOf(pid);
  return stat ? { pid, start: stat.start } : null;
}

/** True while the process runs (a zombie has exited: only its parent has not collected it yet). */
export function running({ pid, start }) {
  const stat = statOf(pid);
  return stat !== null && stat.start === start && stat.state !== 'Z';
}

/**
 * Ends what is left of a quit browser and waits until it has exited. cog exits at quit, but WPE's web and network
 * processes were left behind (reparented to init), one at ~90 % of a core for 1–2 s: the next test file started
 * on a machine still busy with them (merge.test.mjs right after engines.test.mjs); geckodriver was still exiting.
 * SIGKILL after `graceMs`.
 */
export async function endProcesses(procs, graceMs = 5000) {
  const signal = (sig) => procs.filter(running).forEach(({ pid }) => { try { process.kill(pid, sig); } catch { /* gone */ } });
  signal('SIGTERM');
  for (const deadline = Date.now() + graceMs; procs.some(running) && Date.now() < deadline;) {
    await new Promise((ok) => setTimeout(ok, 20)); // polls the processes' state; bounded by the deadline
  }
  signal('SIGKILL');
}
