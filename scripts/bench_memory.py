#!/usr/bin/env python3
"""Peak resident memory of Parlance under load. Run through scripts/bench-memory; see
BENCHMARKS.md, "Memory".

Each run starts the server exactly as scripts/run does (the same script, so the same default
JVM options and environment; JAVA_OPTS and MALLOC_ARENA_MAX are passed through), waits for
/health/ready, loads it with wrk on 127.0.0.1, then reads VmHWM (peak resident set) and VmRSS
from /proc/<pid>/status. It prints numbers; it asserts nothing.

Modes (each on a fresh server, since VmHWM only grows):
  load      15 s of 64-client embeddings, then 15 s of 64-client classification (3 labels),
            one corpus sentence per request (scripts/bench-corpus.txt, as scripts/bench does)
  largest   the largest requests the limits allow: embeddings with limits.maxSentences
            sentences as long as limits.maxTextChars and limits.maxBodyBytes allow, then
            classification with limits.maxLabels distinct labels of limits.maxLabelChars and a
            text of limits.maxTextChars (labels are new on every request: the label cache fills)
  overload  512 clients (more than the queue admits) on embeddings, then classification
  all       the three, one after the other

Options: --seconds N (15), --warmup N (0: seconds of each phase, unmeasured, before the measured
phases; for steady-state throughput), --clients N (64), --overload-clients N (512), --port N (18090),
--nmt (adds -XX:NativeMemoryTracking=detail; at the end of the run, saves `jcmd VM.native_memory
summary`, GC.heap_info and the thread list under target/bench-memory/ and prints where the
resident memory is: each NMT region's resident pages from /proc/<pid>/smaps, the JVM's own
malloc from NMT, and the rest of the anonymous memory, which is native memory allocated outside
the JVM: ONNX Runtime (model weights, arena), the tokenizers, glibc's arenas),
--variant 'NAME: SPEC' (repeatable) with --rounds N to compare settings back to back, alternating
so that the drift of a shared machine falls on all of them. A SPEC holds JVM options (passed as
JAVA_OPTS), VAR=value environment settings (MALLOC_ARENA_MAX=2) and RUN=path, another copy of
scripts/run (e.g. an older commit's, to measure a baseline in the same run).
"""
import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "scripts", "bench-corpus.txt")
LUA = os.path.join(ROOT, "scripts", "bench-load.lua")
OUT = os.path.join(ROOT, "target", "bench-memory")
TOKEN = "dev-token"  # conf/parlance.json's; accepted on loopback only, which is all this uses


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def status(pid):
    """The memory lines of /proc/<pid>/status, in MB (Threads as a count)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                    out[key] = int(value.split()[0]) / 1024
                elif key == "Threads":
                    out[key] = int(value)
    except FileNotFoundError:
        pass
    return out


class Server:
    def __init__(self, run, java_opts, env, port, name):
        self.port = port
        env = dict(os.environ, OPT_OUT_TRACKING="true", **env)
        if java_opts is not None:
            env["JAVA_OPTS"] = java_opts
        self.log_path = os.path.join(OUT, f"server-{name}.log")
        self.log = open(self.log_path, "w")
        self.started = time.time()
        self.process = subprocess.Popen([run, "--port", str(port)], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.pid = self.process.pid  # scripts/run ends in exec java: the same process
        self.ready_s = None
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as r:
                    if r.status == 200:
                        self.ready_s = time.time() - self.started
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError("server not ready after 180 s")

    def alive(self):
        return self.process.poll() is None

    def jcmd(self, command):
        return subprocess.run(["jcmd", str(self.pid)] + command.split(), capture_output=True, text=True).stdout

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def oom_lines(self):
        with open(self.log_path, errors="replace") as f:
            return sum(1 for line in f if "OutOfMemoryError" in line)


NMT_REGION = re.compile(r"^\[(0x[0-9a-f]+) - (0x[0-9a-f]+)\] reserved(?: and committed)? \d+KB for (.+?) from")


def breakdown(server):
    """Resident MB by owner: the JVM's mmapped regions (by NMT category, resident pages from
    smaps), the JVM's malloc (NMT), files mapped (libraries), and the anonymous rest: memory
    the JVM does not know, i.e. native libraries' malloc (ONNX Runtime, tokenizers) and glibc."""
    detail = server.jcmd("VM.native_memory detail")
    summary = server.jcmd("VM.native_memory summary")
    regions = []
    for line in detail.splitlines():
        m = NMT_REGION.match(line.strip())
        if m:
            regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    m = re.search(r"^\s+malloc: (\d+)KB", summary, re.M)
    malloc_kb = int(m.group(1)) if m else 0
    out = {}
    anon_other = 0
    with open(f"/proc/{server.pid}/smaps") as f:
        start = end = 0
        name = ""
        for line in f:
            parts = line.split()
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                a, b = parts[0].split("-")
                start, end = int(a, 16), int(b, 16)
                name = parts[5] if len(parts) > 5 else ""
            elif parts[0] == "Rss:":
                rss = int(parts[1])
                if name.startswith("/"):
                    key = "files: " + ("libonnxruntime" if "onnxruntime" in name else
                                       "libjvm" if "libjvm" in name else "other libraries and files")
                    out[key] = out.get(key, 0) + rss
                    continue
                # A mapping may span several NMT regions (the kernel merges neighbours): share
                # its resident pages out by overlap.
                left = rss
                for r_start, r_end, owner in regions:
                    overlap = min(end, r_end) - max(start, r_start)
                    if overlap > 0:
                        part = rss * overlap / (end - start)
                        out["JVM " + owner] = out.get("JVM " + owner, 0) + part
                        left -= part
                anon_other += left
    out["JVM malloc (NMT)"] = malloc_kb
    out["native outside the JVM (anon not in NMT - JVM malloc)"] = anon_other - malloc_kb
    total = sum(v for k, v in out.items())
    out = {k: round(v / 1024, 1) for k, v in sorted(out.items(), key=lambda kv: -kv[1])}
    out["total"] = round(total / 1024, 1)
    return out


def cpu_seconds(pid):
    """User + system CPU time the process has used (all its threads)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except FileNotFoundError:
        return 0.0


def json_line(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True)


def corpus():
    with open(CORPUS) as f:
        return [line.strip() for line in f if line.strip()]


def bodies_file(name, bodies):
    path = os.path.join(OUT, f"bodies-{name}.jsonl")
    with open(path, "w") as f:
        for body in bodies:
            f.write(json_line(body) + "\n")
    return path


def limits(run):
    """The effective limits, from the server's own --print-config."""
    out = subprocess.run([run, "--print-config"], capture_output=True, text=True, check=True,
                         env=dict(os.environ, OPT_OUT_TRACKING="true", JAVA_OPTS="")).stdout
    return json.loads(out[out.index("{"):])["limits"]


def long_text(sentences, rng, chars):
    words = " ".join(rng.sample(sentences, len(sentences))).split()
    out, n = [], 0
    while True:
        w = words[rng.randrange(len(words))]
        if n + len(w) + 1 > chars:
            return " ".join(out)
        out.append(w)
        n += len(w) + 1


def phases(mode, args, run):
    """(name, task path, clients, bodies file) of each phase of a mode."""
    sentences = corpus()
    rng = random.Random(42)
    if mode == "load" or mode == "overload":
        clients = args.clients if mode == "load" else args.overload_clients
        emb = bodies_file("sentence-embeddings", [{"sentences": [s]} for s in sentences])
        cls = bodies_file("sentence-classification",
                          [{"text": s, "labels": ["job", "nature", "space"]} for s in sentences])
        return [("embeddings", "embeddings", clients, emb), ("classification", "classification", clients, cls)]
    lim = limits(run)
    n = lim["maxSentences"]
    # As long as maxTextChars allows and the whole body still fits in maxBodyBytes.
    per = min(lim["maxTextChars"], (lim["maxBodyBytes"] - 64) // n - 4)
    emb = bodies_file("largest-embeddings", [{"sentences": [long_text(sentences, rng, per) for _ in range(n)]}
                                             for _ in range(8)])
    labels = lim["maxLabels"]
    label_chars = lim["maxLabelChars"]
    cls_bodies = []
    for i in range(100):
        text = long_text(sentences, rng, lim["maxTextChars"])
        cls_bodies.append({"text": text, "labels": [
            (f"r{i}l{j} " + long_text(sentences, rng, label_chars))[:label_chars] for j in range(labels)]})
    cls = bodies_file("largest-classification", cls_bodies)
    log(f"   largest: embeddings {n} x {per} chars ({os.path.getsize(emb) // 8} bytes a body); classification "
        f"{labels} labels x {label_chars} chars, text {lim['maxTextChars']} chars")
    return [("largest embeddings", "embeddings", args.clients, emb),
            ("largest classification", "classification", args.clients, cls)]


def wrk(port, path, clients, seconds, bodies):
    env = dict(os.environ, BODIES=bodies, TOKEN=TOKEN, COUNT_STATUSES="1")
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "-s", LUA,
                          f"http://127.0.0.1:{port}/api/v1/{path}"], capture_output=True, text=True, env=env)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        return {"requests": 0, "rps": 0, "statuses": {}, "socket_errors": -1, "p99_ms": 0}
    r = json.loads(line[len("RESULT "):])
    r["rps"] = r["requests"] / r["seconds"]
    r["socket_errors"] = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    return r


def measure(mode, args, spec_name, java_opts, env, run):
    plan = phases(mode, args, run)
    server = Server(run, java_opts, env, args.port, f"{spec_name}-{mode}")
    result = {"variant": spec_name, "mode": mode, "ready_s": server.ready_s,
              "idle": status(server.pid), "phases": []}
    try:
        for name, path, clients, bodies in plan if args.warmup else []:
            wrk(args.port, path, clients, args.warmup, bodies)  # not measured: lets the JIT finish
        for name, path, clients, bodies in plan:
            cpu = cpu_seconds(server.pid)
            r = wrk(args.port, path, clients, args.seconds, bodies)
            # CPU time per request: unlike requests/s, barely moved by what else runs on the machine.
            r["cpu_ms"] = (cpu_seconds(server.pid) - cpu) * 1000 / max(1, r["requests"])
            s = status(server.pid)
            r.update(name=name, clients=clients, alive=server.alive(), hwm=s.get("VmHWM", 0), rss=s.get("VmRSS", 0))
            result["phases"].append(r)
            log(f"   {spec_name} {name} x{clients}: {r['rps']:.0f} req/s ({r['cpu_ms']:.2f} server CPU ms each), p99 {r['p99_ms']:.0f} ms, "
                f"statuses {r['statuses']}, socket errors {r['socket_errors']}, VmHWM {r['hwm']:.0f} MB, "
                f"VmRSS {r['rss']:.0f} MB{'' if r['alive'] else ', SERVER GONE'}")
        result["end"] = status(server.pid)
        if args.nmt and server.alive():
            base = os.path.join(OUT, f"{spec_name}-{mode}")
            for command, suffix in (("VM.native_memory summary", "nmt.txt"), ("GC.heap_info", "heap.txt"),
                                    ("Thread.print", "threads.txt")):
                with open(f"{base}-{suffix}", "w") as f:
                    f.write(server.jcmd(command))
            result["breakdown"] = breakdown(server)
            log(f"   jcmd output in {base}-*.txt; resident MB: {result['breakdown']}")
        result["alive"] = server.alive()
    finally:
        server.stop()
        result["oom_lines"] = server.oom_lines()
    return result


def parse_variant(text):
    name, _, spec = text.partition(":")
    env, opts, run = {}, [], None
    for token in shlex.split(spec):
        if re.match(r"^[A-Z_][A-Z0-9_]*=", token):
            key, _, value = token.partition("=")
            if key == "RUN":
                run = os.path.abspath(value)
            else:
                env[key] = value
        else:
            opts.append(token)
    return name.strip(), (" ".join(opts) if opts else None), env, run


def main():
    p = argparse.ArgumentParser(description="Peak resident memory of Parlance under load (see BENCHMARKS.md).")
    p.add_argument("mode", nargs="?", default="load", choices=["load", "largest", "overload", "all"])
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--overload-clients", type=int, default=512)
    p.add_argument("--port", type=int, default=18090)
    p.add_argument("--nmt", action="store_true")
    p.add_argument("--variant", action="append", default=[])
    p.add_argument("--rounds", type=int, default=1)
    args = p.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        subprocess.run(([] if os.geteuid() == 0 else ["sudo"]) + ["apt-get", "install", "-y", "wrk"], check=True)
    default_run = os.path.join(ROOT, "scripts", "run")
    # Build (if needed) before anything is timed: scripts/run would otherwise build on the first start.
    subprocess.run([default_run, "--help"], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, OPT_OUT_TRACKING="true"))
    variants = [parse_variant(v) for v in args.variant] or [("default", os.environ.get("JAVA_OPTS"), {}, None)]
    if args.nmt:
        variants = [(n, ((o or "") + " -XX:NativeMemoryTracking=detail").strip(), e, r) for n, o, e, r in variants]
    modes = ["load", "largest", "overload"] if args.mode == "all" else [args.mode]
    results = []
    for round_ in range(args.rounds):
        for name, opts, env, run in variants:
            for mode in modes:
                log(f"round {round_ + 1}: {name} ({mode}) JAVA_OPTS={opts!r} env={env} run={run or 'scripts/run'}")
                results.append(measure(mode, args, name, opts, env, run or default_run))
    print(f"| variant | mode | ready s | idle RSS MB | phase | clients | req/s | server CPU ms/request | p99 ms | statuses"
          f" | socket errors | VmHWM MB after phase | VmRSS MB | alive | OOM in log |")
    print("|" + "---|" * 15)
    for r in results:
        for ph in r["phases"]:
            statuses = " ".join(f"{k}:{v}" for k, v in sorted(ph["statuses"].items()))
            print(f"| {r['variant']} | {r['mode']} | {r['ready_s']:.1f} | {r['idle'].get('VmRSS', 0):.0f} | {ph['name']}"
                  f" | {ph['clients']} | {ph['rps']:.0f} | {ph['cpu_ms']:.2f} | {ph['p99_ms']:.0f} | {statuses} | {ph['socket_errors']}"
                  f" | {ph['hwm']:.0f} | {ph['rss']:.0f} | {'yes' if ph['alive'] else 'NO'} | {r['oom_lines']} |")
    if len(variants) > 1 or args.rounds > 1:
        print()
        print("| variant | mode | runs | VmHWM MB (each run) | req/s, mean of each phase | server CPU ms/request,"
              " mean of each phase | ready s (each run) | threads at end |")
        print("|---|---|---|---|---|---|---|---|")
        for name, *_ in variants:
            for mode in modes:
                runs = [r for r in results if r["variant"] == name and r["mode"] == mode]
                hwm = " / ".join(f"{r['end'].get('VmHWM', 0):.0f}" for r in runs)
                rps = " / ".join(f"{sum(r['phases'][i]['rps'] for r in runs) / len(runs):.0f}"
                                 for i in range(len(runs[0]["phases"])))
                cpu = " / ".join(f"{sum(r['phases'][i]['cpu_ms'] for r in runs) / len(runs):.2f}"
                                 for i in range(len(runs[0]["phases"])))
                ready = " / ".join(f"{r['ready_s']:.1f}" for r in runs)
                threads = " / ".join(str(r["end"].get("Threads", 0)) for r in runs)
                print(f"| {name} | {mode} | {len(runs)} | {hwm} | {rps} | {cpu} | {ready} | {threads} |")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
