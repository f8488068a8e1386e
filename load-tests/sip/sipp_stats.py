#!/usr/bin/env python3
"""Summaries for load-tests/sip-benchmark.

  sipp_stats.py step RATE CALLS UAC_CSV UAS_CSV RTT_CSV ERRORS_LOG [key=value ...]
      One result line (key=value) for a rate step from SIPp's files:
        -trace_stat CSV of the UAC (and UAS, '-' if none; -fd 1, cumulative and per-period counts),
        -trace_rtt CSV (-rtt_freq 1: every response time of every call, ms resolution),
        -trace_err log (why calls failed: the unexpected response codes, e.g. 503 from overload).
      Extra key=value arguments (CPU figures, ...) are appended; with sut_cpu (and cassandra_cpu)
      it adds the CPU milliseconds per call of the system under test, its Cassandra included.
      Verdict PASS: every call created, failed/created < 0.1 % (calls still unfinished when SIPp
      stopped count as failed), and the achieved call rate >= 97 % of RATE.

  sipp_stats.py table RESULTS_FILE
      The final table of every step of every system and the ratio of the highest passing rates
      (first system listed over the second).
"""
import math
import re
import sys
from collections import Counter


def load_csv(path):
    rows = []
    try:
        with open(path, errors='replace') as f:
            hdr = f.readline().strip().rstrip(';').split(';')
            for line in f:
                v = line.strip().rstrip(';').split(';')
                if len(v) >= len(hdr) - 2:
                    rows.append(dict(zip(hdr, v)))
    except OSError:
        pass
    return rows


def num(r, k):
    try:
        return int(r[k])
    except (KeyError, ValueError):
        return 0


def percentile(sorted_vals, q):
    if not sorted_vals:
        return 'na'
    k = max(0, math.ceil(q * len(sorted_vals)) - 1)  # nearest rank
    return sorted_vals[k]


def rtts(path):
    out = {}
    try:
        with open(path, errors='replace') as f:
            f.readline()
            for line in f:
                p = line.strip().split(';')
                if len(p) >= 3:
                    try:
                        out.setdefault(p[2], []).append(float(p[1]))
                    except ValueError:
                        pass
    except OSError:
        pass
    return {k: sorted(v) for k, v in out.items()}


def fmt(x):
    if isinstance(x, float):
        return f'{x:g}'
    return str(x)


def failure_reasons(path):
    """Counts of final responses that aborted calls ('received SIP/2.0 503 ...')."""
    codes = Counter()
    try:
        with open(path, errors='replace') as f:
            for line in f:
                m = re.search(r"Aborting call on unexpected message.*received 'SIP/2\.0 (\d{3})", line)
                if m:
                    codes[m.group(1)] += 1
    except OSError:
        pass
    return codes


def step(argv):
    rate, calls = float(argv[0]), int(argv[1])
    uac, uas, rtt_file, err_file = argv[2:6]
    extra = dict(a.split('=', 1) for a in argv[6:] if '=' in a)
    d = {}
    rows = load_csv(uac)
    last = rows[-1] if rows else {}
    created = num(last, 'TotalCallCreated')
    ok = num(last, 'SuccessfulCall(C)')
    failed = num(last, 'FailedCall(C)')
    unfinished = max(0, created - ok - failed)
    # achieved creation rate: mean of the per-second counts while creating, without the partial
    # first and last seconds (ElapsedTime has 1 s resolution, created/elapsed would understate it)
    per = [num(r, 'OutgoingCall(P)') for r in rows if 0 < num(r, 'TotalCallCreated') < created]
    per = per[1:-1] if len(per) > 3 else per
    achieved = round(sum(per) / len(per), 1) if per else 0.0
    bad = created - ok
    fail_pct = 100.0 * bad / created if created else 100.0
    verdict = 'PASS' if (created == calls and created > 0 and bad / created < 0.001
                         and achieved >= 0.97 * rate) else 'FAIL'
    d.update(rate=int(rate), verdict=verdict, calls=calls, created=created, ok=ok, failed=failed,
             unfinished=unfinished, fail_pct=f'{fail_pct:.3f}', achieved_cps=achieved,
             held=max((num(r, 'CurrentCall') for r in rows), default=0),
             retrans=num(last, 'Retransmissions(C)'))
    why = [f'{k[6:-3]}:{num(last, k)}' for k in last if k.startswith('Failed') and k.endswith('(C)')
           and k != 'FailedCall(C)' and num(last, k)]
    if why:
        d['failed_by'] = ','.join(why)
    codes = failure_reasons(err_file)
    d['n503'] = codes.get('503', 0)
    if codes:
        d['rejected_by'] = ','.join(f'{c}:{n}' for c, n in sorted(codes.items()))
    if uas != '-':
        urows = load_csv(uas)
        d['uas_held'] = max((num(r, 'CurrentCall') for r in urows), default=0)
        d['uas_failed'] = num(urows[-1], 'FailedCall(C)') if urows else 0
    for name, vals in sorted(rtts(rtt_file).items()):
        d[f'{name}_p50_ms'] = fmt(percentile(vals, 0.50))
        d[f'{name}_p99_ms'] = fmt(percentile(vals, 0.99))
        d[f'{name}_max_ms'] = fmt(vals[-1])
    d.update(extra)
    try:  # CPU ms per call of the system under test, its Cassandra included
        cpu = float(extra['sut_cpu']) + float(extra.get('cassandra_cpu', 0))
        d['sut_ms_per_call'] = f'{cpu * 10.0 / achieved:.3f}' if achieved else 'na'
    except (KeyError, ValueError):
        pass
    print(' '.join(f'{k}={v}' for k, v in d.items()))


def table(argv):
    systems, steps = [], {}
    with open(argv[0]) as f:
        for line in f:
            if not line.startswith('system='):
                continue
            kv = dict(x.split('=', 1) for x in line.split() if '=' in x)
            s = kv['system']
            if s not in steps:
                systems.append(s)
                steps[s] = []
            steps[s].append(kv)
    g = lambda kv, k: kv.get(k, '-')
    hdr = (f"{'system':<9} {'cps':>5} {'result':<6} {'created':>7} {'failed':>7} {'fail%':>7} {'achieved':>8} "
           f"{'held':>6} {'INVITE->200 p50/p99':>20} {'setup p50/p99':>14} {'SUT CPU%':>8} {'+Cass.%':>7} "
           f"{'ms CPU/call':>11} {'SIPp%':>6} {'other%':>6} {'503s':>5}")
    print(hdr)
    print('-' * len(hdr))
    best = {}
    for s in systems:
        for kv in steps[s]:
            lat = f"{g(kv, 'invite_p50_ms')} / {g(kv, 'invite_p99_ms')} ms"
            setup = f"{g(kv, 'setup_p50_ms')} / {g(kv, 'setup_p99_ms')}" if 'setup_p50_ms' in kv else '-'
            try:
                sipp = f"{float(kv.get('uac_cpu', 0)) + float(kv.get('uas_cpu', 0)):.0f}"
            except ValueError:
                sipp = '-'
            print(f"{s:<9} {g(kv, 'rate'):>5} {g(kv, 'verdict'):<6} {g(kv, 'created'):>7} "
                  f"{int(g(kv, 'created')) - int(g(kv, 'ok')):>7} {g(kv, 'fail_pct'):>7} {g(kv, 'achieved_cps'):>8} "
                  f"{g(kv, 'held'):>6} {lat:>20} {setup:>14} {g(kv, 'sut_cpu'):>8} {g(kv, 'cassandra_cpu'):>7} "
                  f"{g(kv, 'sut_ms_per_call'):>11} {sipp:>6} {g(kv, 'other_cpu'):>6} {g(kv, 'n503'):>5}")
            if kv.get('verdict') == 'PASS':
                best[s] = kv
    print()
    for s in systems:
        b = best.get(s)
        fails = [kv for kv in steps[s] if kv.get('verdict') != 'PASS']
        first_503 = next((kv['rate'] for kv in steps[s] if int(kv.get('n503', 0)) > 0), None)
        tail = (f"; first failing step {fails[0]['rate']} cps ({fails[0]['fail_pct']} % failed)" if fails
                else '; no step failed, so this is a lower bound')
        tail += f"; 503s first at {first_503} cps" if first_503 else '; no 503s'
        if b:
            cass = f" + Cassandra {b['cassandra_cpu']} %" if 'cassandra_cpu' in b else ''
            print(f"{s}: highest passing {b['rate']} cps (achieved {b['achieved_cps']}), {b['held']} calls held, "
                  f"INVITE->200 p50 {b.get('invite_p50_ms')} ms / p99 {b.get('invite_p99_ms')} ms, "
                  f"CPU {b.get('sut_cpu', '-')} %{cass} of one core{tail}")
            for k, what in (('sut_threads', 'node threads'), ('cassandra_threads', 'Cassandra threads')):
                if k in b:
                    print(f"  {what} (% of a core): {b[k].replace(',', ', ')}")
        else:
            print(f"{s}: no passing step{tail}")
    if len(systems) >= 2:
        a, b = systems[0], systems[1]
        if a in best and b in best:
            ratio = float(best[a]['rate']) / float(best[b]['rate'])
            never = lambda x: all(kv.get('verdict') == 'PASS' for kv in steps[x])
            bound = {(True, False): '; a lower bound: no step of ' + a + ' failed',
                     (False, True): '; an upper bound: no step of ' + b + ' failed',
                     (True, True): '; no step of either failed: raise the rates'}.get((never(a), never(b)), '')
            print(f"ratio ({a} / {b}) = {ratio:.3f}   (highest passing rates {best[a]['rate']} / {best[b]['rate']} cps{bound})")
        else:
            print(f"ratio ({a} / {b}) = n/a (no passing step for {a if a not in best else b})")
    else:
        print('ratio (ours / Kamailio): needs both systems in one run')


if __name__ == '__main__':
    if len(sys.argv) < 3 or sys.argv[1] not in ('step', 'table'):
        sys.exit(__doc__)
    (step if sys.argv[1] == 'step' else table)(sys.argv[2:])
