#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (written by scripts/profile with the
`threads` option, so each stack starts with its thread): CPU share by thread group, by part of
the request path, and the top frames by self time."""
import collections
import re
import sys

# The request path's parts, matched on any frame of a stack; the first that matches counts.
PARTS = [
    ("ONNX Runtime forward pass", ["OrtSession.run", "libonnxruntime"]),
    ("tokenizer (Rust, JNI)", ["TokenizersLibrary", "libtokenizers"]),
    ("model input/output copies (DJL NDArrays, direct buffers)", ["BatchTranslator", "ai/djl/"]),
    ("pipelines: pooling, scores, entities", ["dev/parlance/tasks/", "dev/parlance/inference/"]),
    ("JSON schema validation", ["SchemaValidatorImpl", "SchemaBodyProcessor", "ValidationHandler"]),
    ("JSON encode/decode", ["JacksonCodec", "com/fasterxml/jackson"]),
    ("access log", ["AccessLog", "ch/qos/logback"]),
    ("auth (SHA-256 of the key)", ["TokenAuth"]),
    ("metrics", ["io/micrometer", "io/vertx/micrometer"]),
    ("event bus", ["io/vertx/core/eventbus"]),
    ("HTTP server, Netty, sockets", ["io/netty", "io/vertx/core/http", "io/vertx/ext/web", "epoll_wait", "writev",
                                     "__GI_read", "__GI_write", "__libc_recv", "__libc_send"]),
    ("Vert.x contexts and other Java", ["io/vertx/", "java/"]),
]
# Threads whose whole time is one part, whatever their frames say.
THREAD_PARTS = {"JIT compiler threads": "JIT compiler", "GC and VM": "GC and VM operations"}


def thread_group(name):
    name = re.sub(r"\s*tid=\d+", "", name).strip("[]")
    if "eventloop" in name:
        return "Vert.x event loops (HTTP, admission)"
    if name.startswith("parlance-"):
        return "inference workers"
    if "Compiler" in name:
        return "JIT compiler threads"
    if "GC" in name or "VM Thread" in name:
        return "GC and VM"
    if name.startswith("log-writer-"):
        return "access log writer"
    return "other: " + re.sub(r"[-#]?\d+$", "", name)


def main(path):
    total = 0
    threads = collections.Counter()
    parts = collections.Counter()
    self_time = collections.Counter()
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(" ")
        n = int(n)
        frames = stack.split(";")
        total += n
        threads[thread_group(frames[0])] += n
        self_time[frames[-1]] += n
        group = thread_group(frames[0])
        part = THREAD_PARTS.get(group) or next(
            (p for p, keys in PARTS if any(k in f for f in frames[1:] for k in keys)), "other")
        parts[part] += n
    print(f"\n{total} samples (1 ms of CPU each)\n")
    print("| threads | CPU share |\n|---|---|")
    for name, n in threads.most_common():
        print(f"| {name} | {n / total:.1%} |")
    print("\n| part of the request path | CPU share |\n|---|---|")
    for name, n in parts.most_common():
        print(f"| {name} | {n / total:.1%} |")
    print("\n| top frames by self time | CPU share |\n|---|---|")
    for name, n in self_time.most_common(20):
        print(f"| `{name[:110]}` | {n / total:.1%} |")


if __name__ == "__main__":
    main(sys.argv[1])
