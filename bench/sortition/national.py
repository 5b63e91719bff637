#!/usr/bin/env python3
"""bench/sortition/national.py: LEXIMIN on generated national pools (issue
#19, section 3), run by bench/sortition/run.

    national.py PNYX CORE_NOW CORE_PREV CORE_BEFORE TMPDIR LIMIT_S N...

For each pool size N, gen_national.py writes a pool of N people in six
categories (k = 150), then, each stopped after LIMIT_S seconds:
  - today's LEXIMIN (CORE_NOW, leximin_core.c on libpnyx.a): the relaxed
    optimum, decomposed into panels (column generation only when that
    fails), then its rounding to as many tickets as pnyx select chooses
    (docs/sortition.md 8.4; 1000 in the older builds);
  - the same before the decomposition and the rounding were made fast
    (CORE_PREV: leximin.c, leximin_relax.c, panelswap.c and rounding.c
    of an earlier commit), "-" when it could not be built;
  - column generation alone (CORE_NOW ... columns), the algorithm before
    the decomposition, which LEXIMIN still falls back on;
  - the algorithm before issue 19 (CORE_BEFORE, the same driver on the
    older leximin.c), "-" when it could not be built;
  - MAXIMIN (CORE_NOW ... maximin);
  - the whole `pnyx select --time-limit LIMIT` (PNYX): LEXIMIN, its
    rounding to a lottery of 1000 tickets (the integer programs, which
    get what is left of the limit), the JSON written; its least
    probability is the lottery's, and a line says how it was rounded.
Each row: seconds (wall clock) and processor seconds (user and system:
the machine is shared, so the processor time is the figure to compare),
whether it finished ("optimal") or was stopped, levels solved, panels
generated, peak memory (the process's maximum resident set), and the
least probability next to the uniform k/N; for the two LEXIMIN runs that
round, a line with the rounding's time and largest change in tickets.
"""
import json
import os
import subprocess
import sys
import threading
import time

K = 150
HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, hard, stdout_path=None):
    """Run cmd, killed after hard seconds; return (exit code, stdout,
    stderr, seconds, peak resident MB); exit code None when killed.
    With stdout_path, standard output goes to that file ("" returned)."""
    t0 = time.monotonic()
    sink = open(stdout_path, "w") if stdout_path else subprocess.PIPE
    p = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, text=True)
    if stdout_path:
        sink.close()
    killer = threading.Timer(hard, p.kill)
    killer.start()
    bufs = {}

    def drain(name, stream):
        bufs[name] = stream.read()

    bufs["out"] = ""
    ts = [threading.Thread(target=drain, args=(n, s)) for n, s in
          (("out", p.stdout), ("err", p.stderr)) if s is not None]
    for t in ts:
        t.start()
    # wait4 gives this child's own peak memory (ru_maxrss, kB on Linux)
    _, status, ru = os.wait4(p.pid, 0)
    cpu = ru.ru_utime + ru.ru_stime
    killer.cancel()
    for t in ts:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode == -9:
        p.returncode = None
    return p.returncode, bufs["out"], bufs["err"], (time.monotonic() - t0, cpu), \
        ru.ru_maxrss / 1024


def kv(line):
    return dict(x.split("=", 1) for x in line.split())


def main():
    pnyx, core_now, core_prev, core_before, tmp, limit = sys.argv[1:7]
    sizes = [int(n) for n in sys.argv[7:]]
    hdr = f"{'people':>9} {'types':>6} {'algorithm':<24} {'secs':>7} {'cpu':>7} {'ended':>9} " \
          f"{'levels':>6} {'panels':>7} {'peak MB':>8} {'min prob':>10} {'k/N':>10}"
    print(hdr)
    status = 0
    for n in sizes:
        d = os.path.join(tmp, f"national{n}")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_national.py"), str(n), d],
                       check=True)
        cats, resp = os.path.join(d, "categories.csv"), os.path.join(d, "respondents.csv")
        rows = []
        ncore = {}
        notes = []
        for label, cmd in (("LEXIMIN, decomposed", [core_now, "leximin", "optimal"]),
                           ("LEXIMIN, previous", [core_prev, "leximin", "optimal"]
                            if core_prev != "-" else None),
                           ("LEXIMIN, columns", [core_now, "columns"]),
                           ("LEXIMIN, before", [core_before] if core_before != "-" else None),
                           ("MAXIMIN", [core_now, "maximin"])):
            if cmd is None:
                rows.append((label, None, None, "", "", None, None))
                continue
            extra = cmd[1:]
            # the algorithm before issue 19 could not stop inside a long
            # integer program: killed at twice the limit plus a minute
            hard = 2 * float(limit) + 60
            rc, out, err, secs, mb = run([cmd[0], cats, resp, str(K), limit] + extra, hard)
            if rc is None:
                rows.append((label, secs, "killed", "", "", mb, None))
                continue
            if rc != 0:
                print(f"{label} failed on {n} people: {err.strip()}")
                status = 1
                continue
            r = kv(out)
            r["cpu"] = secs[1]
            ncore[label] = r
            rows.append((label, (float(r["secs"]), secs[1]), r["optimal"] == "1", r["levels"],
                         r["panels"], mb, float(r["min"])))
            if "round_secs" in r:
                notes.append(f"{'':>9} {label}: rounded to {r.get('tickets', '1000')} tickets in "
                             f"{r['round_secs']} s, {r['rounding']}, largest change "
                             f"{r['deviation']} tickets (lower bound {r['lower_bound']}); "
                             f"least chance in the lottery {r.get('lottery_min', '-')} "
                             f"against LEXIMIN's {float(r['min']):.6f}")
        # the whole command, rounding included: bounded by the limit
        out_json = os.path.join(d, "selection.json")
        rc, _, err, secs, mb = run([pnyx, "select", "--categories", cats, "--respondents",
                                    resp, "--panel-size", str(K), "--time-limit", limit,
                                    "--json"], 2 * float(limit) + 60, out_json)
        select_note = None
        if rc == 0:
            with open(out_json) as f:
                sel = json.load(f)
            lot = sel["lottery"]
            rows.append(("select, with rounding", secs, sel["optimal"], lot["levels"],
                         lot["panels_generated"], mb, lot["min_probability"]))
            select_note = (f"{'':>9} select: rounding {sel['rounding']}, largest change "
                           f"{lot['max_deviation']:.6f} (heuristic's "
                           f"{lot['heuristic_max_deviation']:.6f}), {len(sel['panels'])} "
                           f"panels in the lottery"
                           + (f"; {lot['rounding_fallback']}" if "rounding_fallback" in lot
                              else ""))
            os.unlink(out_json)
        elif rc is None:
            rows.append(("select, with rounding", secs, "killed", "", "", mb, None))
        else:
            print(f"pnyx select failed on {n} people: {err.strip()[-300:]}")
            status = 1
        types = ncore.get("LEXIMIN, decomposed", {}).get("types", "-")
        for label, secs, opt, lev, pan, mb, mn in rows:
            if secs is None:
                print(f"{n:>9} {types:>6} {label:<24} {'-':>7}")
                continue
            if opt == "killed":
                print(f"{n:>9} {types:>6} {label:<24} {secs[0]:>7.1f} {secs[1]:>7.1f} "
                      f"{'killed':>9}   did not stop at the {limit} s limit (inside one "
                      f"integer program)")
                continue
            ended = "optimal" if opt else "stopped"
            print(f"{n:>9} {types:>6} {label:<24} {secs[0]:>7.1f} {secs[1]:>7.1f} {ended:>9} "
                  f"{lev:>6} {pan:>7} {mb:>8.0f} {mn:>10.6f} {K / n:>10.6f}")
        for note in notes:
            print(note)
        if select_note:
            print(select_note)
        now_r = ncore.get("LEXIMIN, decomposed")
        for name in ("previous", "columns", "before"):
            before_r = ncore.get(f"LEXIMIN, {name}")
            if not (now_r and before_r):
                continue
            print(f"{'':>9} {name}/decomposed: ", end="")
            if now_r["optimal"] == "1" and before_r["optimal"] != "1":
                print(f"more than {float(limit) / float(now_r['secs']):.1f}x "
                      f"({name} stopped at the {limit} s limit, min "
                      f"{float(before_r['min']):.6f} against {float(now_r['min']):.6f})")
            elif now_r["optimal"] == "1" and before_r["optimal"] == "1":
                print(f"{float(before_r['secs']) / float(now_r['secs']):.1f}x "
                      f"(processor, LEXIMIN and rounding: "
                      f"{before_r['cpu'] / max(now_r['cpu'], 1e-3):.1f}x)")
            else:
                print(f"both stopped at {limit} s: decomposed min {float(now_r['min']):.6f}; "
                      f"{name} level {before_r['levels']}, min {float(before_r['min']):.6f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
