#!/usr/bin/env python3
"""Writes the hostile-input corpus: src/test/resources/hostile/cases.json and one raw body
file per case. Bodies are bytes (some are not valid UTF-8, some not JSON at all); each case
says which statuses are acceptable. HostileInputTest sends them all to a real server and
checks every answer is one of those, with a well-formed JSON error body, never a 500, and
that the server still serves normally afterwards. Deterministic; the output is committed.
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "hostile")
JSON = "application/json"
cases = []


def case(name, path, body, expect, content_type=JSON):
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8")
    cases.append({"name": name, "path": path, "content_type": content_type, "file": f"{len(cases):03d}.bin",
                  "expect": expect, "body": body})


C, E, S, N = "classification", "embeddings", "semantic-similarity", "ner/entities"
ok = {"text": "I love pizza", "labels": ["food", "sport"]}

# Malformed and truncated JSON.
for i, text in enumerate(['{', '{"text":', '{"text": "a", }', 'nul', '[', '{"text": "a" "labels": []}', "{'text': 'a'}",
                          '{"text": "a", "labels": ["b"]', '{"text": "a\\', '{"text": "a\\x"}', '"\\uD8', '}{', '\x00',
                          '{"text": tru, "labels": ["a"]}', json.dumps(ok)[:-1], json.dumps(ok) + "garbage"]):
    case(f"malformed-{i}", C, text, [400])
case("empty-body", C, b"", [400])
case("whitespace-body", C, b"   \n\t ", [400])

# Wrong types and nulls everywhere.
for field, values in {"text": [42, 1.5, True, None, [], ["a"], {}, {"a": 1}],
                      "labels": ["food", 3, None, {}, [1, 2], [None], [["a"]], [{}], [True], [""]],
                      "multi_class": ["yes", 1, 0, [], {}, "null"]}.items():
    for i, v in enumerate(values):
        case(f"type-{field}-{i}", C, dict(ok, **{field: v}), [400])
for body in [None, 0, "text", [], [ok], True]:
    case(f"not-an-object-{json.dumps(body)[:10]}", C, json.dumps(body), [400])
case("all-null", C, {"text": None, "labels": None, "multi_class": None}, [400])
case("sentences-null", E, {"sentences": None}, [400])
case("sentences-of-null", E, {"sentences": [None]}, [400])
case("similarity-three", S, {"sentences": ["a", "b", "c"]}, [400])
case("entities-text-null", N, {"text": None, "searched_entity": None}, [400])
case("entities-offsets-bad", N, {"text": "John Doe", "offsets": "bytes"}, [400])

# Huge numbers, in places that want something else and in ignored places.
case("huge-exponent", C, '{"text": "a", "labels": ["b"], "multi_class": 1e999999}', [400])
case("huge-integer-text", C, '{"text": 123456789012345678901234567890123456789, "labels": ["b"]}', [400])
case("huge-number-extra-field", C, '{"text": "a", "labels": ["b"], "extra": 1e999999}', [200, 400])
case("top-level-huge", C, "1e400", [400])
case("negative-zero", C, '{"text": "a", "labels": ["b"], "multi_class": -0.0}', [400])

# Deep nesting.
case("deep-arrays", C, "[" * 100_000 + "]" * 100_000, [400, 413])
case("deep-objects", C, '{"a":' * 5000 + "1" + "}" * 5000, [400])
case("deep-in-field", C, '{"text": "a", "labels": ' + "[" * 200 + '"b"' + "]" * 200 + "}", [400])

# Duplicate keys: JSON allows them; the last one counts.
case("duplicate-keys", C, '{"text": "first", "text": "I love pizza", "labels": ["food"]}', [200])

# Invalid UTF-8, NUL and control characters, lone surrogates, odd Unicode.
case("invalid-utf8", C, b'{"text": "a\xff\xfeb", "labels": ["x"]}', [400])
case("overlong-utf8", C, b'{"text": "\xc0\xaf", "labels": ["x"]}', [400])
case("truncated-utf8", C, b'{"text": "caf\xc3", "labels": ["x"]}', [400])
case("raw-control-char", C, b'{"text": "a\x01b", "labels": ["x"]}', [400])
case("raw-nul", C, b'{"text": "a\x00b", "labels": ["x"]}', [400])
case("escaped-nul-and-controls", C, '{"text": "a\\u0000b\\u0001\\u001fc", "labels": ["x\\u0000"]}', [200])
case("lone-high-surrogate", C, '{"text": "abc\\ud800def", "labels": ["\\udbff"]}', [200])
case("lone-low-surrogate", E, '{"sentences": ["\\udc00", "x\\udfff"]}', [200])
case("lone-surrogate-entities", N, '{"text": "\\ud800 John Doe \\udc00 in Paris"}', [200])
case("bom-prefix", C, b'\xef\xbb\xbf' + json.dumps(ok).encode(), [200, 400])
for i, text in enumerate(["\u200b\u200d\u2060", "\u202e\u05e9\u05dc\u05d5\u05dd", "e\u0301\u0301\u0301",
                          "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\ufffd\ufffe\uffff", "ｆｕｌｌｗｉｄｔｈ",
                          "𝕳𝖊𝖑𝖑𝖔", " ", "\n\n\n", "\t"]):
    case(f"odd-unicode-{i}", C, {"text": text, "labels": ["x", text]}, [200])
    case(f"odd-unicode-entities-{i}", N, {"text": text}, [200])

# Sizes.
case("one-megabyte-word", C, {"text": "a" * (1 << 20), "labels": ["x"]}, [413])
case("long-word-under-body-limit", C, {"text": "a" * 100_000, "labels": ["x"]}, [400])
case("text-at-char-limit", C, {"text": "word " * 4000, "labels": ["x"]}, [200])
case("ten-thousand-labels", C, {"text": "a", "labels": [f"label{i}" for i in range(10_000)]}, [400, 413])
case("long-label", C, {"text": "a", "labels": ["x" * 10_000]}, [400])
case("many-sentences", E, {"sentences": ["s"] * 10_000}, [400])
case("long-entities-text", N, {"text": "John Doe works at Google in Paris. " * 500}, [200])

# The tasks of fixed-label models, rerank and tokenize (served by the test's tiny fixtures and MiniLM).
T, R, K, SE = "text-classification", "rerank", "tokenize", "sentiment"
for i, v in enumerate([0, -1, 1.5, "all", 4294967295, 4294967296, 1e999, [], {}]):
    case(f"top-k-bad-{i}", T, {"text": "I love pizza", "top_k": v}, [400])
case("top-k-beyond-labels", T, {"text": "I love pizza", "top_k": 2147483647}, [200])
case("function-to-apply-bad", T, {"text": "I love pizza", "function_to_apply": "relu"}, [400])
case("sentiment-target", SE, {"text": "I love pizza", "target": "pizza"}, [400])
case("rerank-no-texts", R, {"query": "q", "texts": []}, [400])
case("rerank-text-null", R, {"query": "q", "texts": [None]}, [400])
case("rerank-many-texts", R, {"query": "q", "texts": ["t"] * 10_000}, [400])
case("rerank-left-truncation", R, {"query": "q", "texts": ["t"], "truncation_direction": "Left"}, [400])
case("rerank-long-pair-refused", R, {"query": "word " * 3000, "texts": ["t"], "truncate": False}, [400])
case("rerank-long-pair-cut", R, {"query": "word " * 3000, "texts": ["word " * 3000]}, [200])
case("tokenize-inputs-number", K, {"inputs": 42}, [400])
case("tokenize-inputs-empty-list", K, {"inputs": []}, [400])
case("tokenize-offsets-bad", K, {"inputs": "a", "offsets": "bytes"}, [400])
# A megabyte of punctuation: each character a token, far more than one request may get back.
case("tokenize-too-many-tokens", K, {"inputs": ["!" * 19_000] * 50}, [400, 413])
case("tokenize-emoji-text", K, {"inputs": "\U0001F600" * 2000 + "\ud800"}, [200])
for i, text in enumerate(["\u200b\u200d\u2060", "e\u0301\u0301", "\U0001F468\u200d\U0001F469", "\udc00"]):
    case(f"odd-unicode-tokenize-{i}", K, {"inputs": [text, "x" + text]}, [200])
    case(f"odd-unicode-rerank-{i}", R, {"query": text, "texts": [text, "x"]}, [200])
    case(f"odd-unicode-sentiment-{i}", SE, {"text": text}, [200])

# Content types.
for i, ct in enumerate(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/xml", "application/jsonp", None]):
    case(f"content-type-{i}", C, json.dumps(ok), [415], content_type=ct)
case("content-type-charset", C, json.dumps(ok), [200], content_type="application/json; charset=utf-8")
case("content-type-upper", C, json.dumps(ok), [200], content_type="Application/JSON")
case("content-type-plus-json", C, json.dumps(ok), [200], content_type="application/vnd.api+json")

os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
for c in cases:
    with open(os.path.join(OUT, c["file"]), "wb") as f:
        f.write(c.pop("body"))
with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print(len(cases), "cases written to", os.path.normpath(OUT))
