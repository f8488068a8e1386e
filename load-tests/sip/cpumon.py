#!/usr/bin/env python3
"""Bounded CPU sampler for load-tests/sip-benchmark.

    cpumon.py DELAY_S DURATION_S label=PID[+|/t] ...

Sleeps DELAY_S, then measures for DURATION_S the CPU time (user + system, from /proc/PID/stat)
of every labelled process; a trailing '+' also counts the process's descendants (Kamailio forks
its workers); a trailing '/t' adds the process's busiest threads, grouped by name with digits
replaced by '#' (Linux keeps 15 characters of a thread name). Prints one line of key=value,
100 % = one core:
  <label>_cpu   the process (tree)
  <label>_threads  name:cpu,... the busiest thread groups (with '/t')
  sys_busy      the whole machine (of 100 % x cores)
  softirq       kernel softirq time: loopback packet delivery lands here, in no process
  steal         time the hypervisor gave to other guests
  other_cpu     whole machine busy minus the labelled processes, softirq and steal
                (other work on a shared box: builds, tests)
A process that exits during the window simply stops counting."""
import os
import re
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def children_map():
    m = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    s = f.read()
                ppid = int(s[s.rfind(')') + 2:].split()[1])
                m.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return m


def tree(pid, cmap):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(cmap.get(p, []))
    return out


def ticks(pids):
    t = 0
    for p in pids:
        try:
            with open(f'/proc/{p}/stat') as f:
                s = f.read()
            fs = s[s.rfind(')') + 2:].split()
            t += int(fs[11]) + int(fs[12])  # utime + stime
        except (OSError, ValueError, IndexError):
            pass
    return t


def thread_ticks(pid):
    out = {}
    try:
        tids = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return out
    for t in tids:
        try:
            with open(f'/proc/{pid}/task/{t}/stat') as f:
                s = f.read()
            name = s[s.find('(') + 1:s.rfind(')')]
            fs = s[s.rfind(')') + 2:].split()
            out[t] = (name, int(fs[11]) + int(fs[12]))
        except (OSError, ValueError, IndexError):
            pass
    return out


def top_threads(before, after, seconds, n=6):
    # keyed by thread id, named by the name at the end of the window: threads rename themselves
    # (Cassandra's shared workers take the name of the stage they last ran), so that split is rough
    groups = {}
    for tid, (name, t1) in after.items():
        name = re.sub(r'\d+', '#', name).replace(' ', '_').replace(',', '_').replace(':', '_')
        groups[name] = groups.get(name, 0) + t1 - before.get(tid, ('', 0))[1]
    top = sorted(groups.items(), key=lambda kv: -kv[1])[:n]
    return ','.join(f'{name}:{100.0 * t / HZ / seconds:.0f}' for name, t in top if t > 0) or 'none'


def machine():
    # cpu  user nice system idle iowait irq softirq steal ...
    with open('/proc/stat') as f:
        v = [int(x) for x in f.readline().split()[1:]][:8]
    return sum(v) - v[3] - v[4], sum(v), v[6], v[7]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    delay, dur = float(sys.argv[1]), float(sys.argv[2])
    specs, threads = [], {}
    for a in sys.argv[3:]:
        label, p = a.split('=', 1)
        if p.endswith('/t'):
            p = p[:-2]
            if p.rstrip('+'):
                threads[label] = int(p.rstrip('+'))
        if p.rstrip('+'):
            specs.append((label, int(p.rstrip('+')), p.endswith('+')))
    time.sleep(delay)
    cmap = children_map()
    groups = [(label, tree(p, cmap) if rec else [p]) for label, p, rec in specs]
    t0 = time.time()
    th0 = {label: thread_ticks(p) for label, p in threads.items()}
    a0 = [ticks(g) for _, g in groups]
    b0, n0, si0, st0 = machine()
    time.sleep(dur)
    t1 = time.time()
    th1 = {label: thread_ticks(p) for label, p in threads.items()}
    a1 = [ticks(g) for _, g in groups]
    b1, n1, si1, st1 = machine()
    el = t1 - t0
    ncpu = os.cpu_count()
    res, ours = [], 0.0
    for (label, _), x0, x1 in zip(groups, a0, a1):
        pct = 100.0 * (x1 - x0) / HZ / el
        ours += pct
        res.append(f'{label}_cpu={pct:.1f}')
    for label in threads:
        res.append(f'{label}_threads={top_threads(th0[label], th1[label], el)}')
    total = max(1, n1 - n0)
    busy = 100.0 * ncpu * (b1 - b0) / total
    si = 100.0 * ncpu * (si1 - si0) / total
    st = 100.0 * ncpu * (st1 - st0) / total
    res += [f'sys_busy={busy:.1f}', f'softirq={si:.1f}', f'steal={st:.1f}',
            f'other_cpu={max(0.0, busy - ours - si - st):.1f}', f'cpu_window_s={el:.1f}']
    print(' '.join(res), flush=True)


if __name__ == '__main__':
    main()
