#!/usr/bin/python3
"""Makes the tiny, deterministic ONNX models the tests use, and the outputs they must give.

Run through scripts/make-fixtures (it installs Debian's python3-onnx). Output goes to
src/test/resources/models/ and is committed, so tests never need Python.

nli-tiny: a "lookup" NLI cross-encoder. Each token id has a fixed row of 3 logits; a pair's
logits are the sum over its real tokens (attention_mask = 1) of row x (1 + token_type_id), so
hypothesis tokens count double. Padding tokens have non-zero rows, so a server that ignores
the attention mask gets different numbers, and so does one that drops token_type_ids.
The same weights are shipped twice: with entailment at index 2 (MNLI order) and at index 0.

nli-throws, nli-slow and nli-hoard: nli-tiny with one more word. In nli-throws, "explode" has no
row in the weights, so ONNX Runtime fails the forward pass (Gather out of bounds) whenever a text
holds it. In nli-slow, "dawdle" makes the model chain 24 products of 2000 x 2000 matrices (seconds of
work) before answering, to stand for a model that hangs. In nli-hoard, "hoard" makes the output
100 million logits wide (400 MB): ONNX Runtime allocates it natively, and copying it into a Java
array throws a real OutOfMemoryError in a JVM with a smaller heap, to test that a worker survives
an Error.

ner-tiny: a "lookup" token classifier with dslim/bert-base-NER's labels and a cased WordPiece
vocabulary. Each token's logits are the log of a chosen probability row, so the softmax gives
back exactly the chosen confidences. "Parlanceville" splits into three pieces whose rows
disagree, so the aggregation strategies (simple, first, average, max) give different answers.
[CLS] and [SEP] rows say B-PER: a server that forgot to skip special tokens would report them.

expected-nli.json and expected-ner.json hold, for each test case, the logits computed here with numpy and the
scores of Hugging Face's zero-shot formula, computed here independently of the server.
"""
import json
import os
import re
import shutil
import unicodedata

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "models")

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
WORDS = """john doe is a go developer at google . he has been working there for 10 years and
awarded employee of the year this example job nature space we hiked through forest watched birds by
river rocket launched reached orbit sports politics economy i love pizza , ! about""".split()
PIECES = ["un", "##believ", "##able"]
VOCAB = SPECIAL + WORDS + PIECES
IDS = {t: i for i, t in enumerate(VOCAB)}


def tokenizer_json(max_length):
    """A BERT WordPiece tokenizer.json over VOCAB, shaped like the ones Hugging Face exports."""
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": [
            {"id": IDS[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for t in SPECIAL],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [IDS[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": IDS},
    }


def wordpiece(text):
    """What the tokenizer above does to plain ASCII text: lowercase, split, greedy word pieces."""
    ids = []
    for word in re.findall(r"\w+|[^\w\s]", text.lower()):
        start, pieces = 0, []
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in IDS:
                    pieces.append(IDS[piece])
                    break
                end -= 1
            if end == start:
                pieces = [IDS["[UNK]"]]
                break
            start = end
        ids.extend(pieces)
    return ids


def encode_pair(premise, hypothesis, max_length):
    """[CLS] premise [SEP] hypothesis [SEP]; only the premise is truncated (Hugging Face's only_first)."""
    a, b = wordpiece(premise), wordpiece(hypothesis)
    room = max_length - 3 - len(b)
    a = a[:max(room, 0)]
    ids = [IDS["[CLS]"]] + a + [IDS["[SEP]"]] + b + [IDS["[SEP]"]]
    types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    return ids, types


def nli_weights():
    rng = np.random.default_rng(20261127)
    w = rng.uniform(-1.0, 1.0, size=(len(VOCAB), 3)).astype(np.float32)
    # Clear opinions for the label words (columns: contradiction, neutral, entailment in MNLI order).
    w[IDS["job"]] = [-1.5, 0.2, 2.5]
    w[IDS["nature"]] = [1.0, 0.5, -0.7]
    w[IDS["space"]] = [0.6, -0.3, 0.1]
    w[IDS["[PAD]"]] = [5.0, -5.0, 5.0]  # poison: counts only if the mask is ignored
    return w


def nli_model(weights):
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])
    types = helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "sequence"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])
    nodes = [
        helper.make_node("Gather", ["W", "input_ids"], ["rows"], axis=0),
        helper.make_node("Cast", ["token_type_ids"], ["types_f"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["types_f", "one"], ["type_weight"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["type_weight", "mask_f"], ["weight"]),
        helper.make_node("Unsqueeze", ["weight", "axis2"], ["weight3"]),
        helper.make_node("Mul", ["rows", "weight3"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "axis1"], ["logits"], keepdims=0),
    ]
    init = [
        numpy_helper.from_array(weights, "W"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
    ]
    graph = helper.make_graph(nodes, "nli_tiny", [ids, mask, types], [logits], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="parlance-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def nli_model_with(weights, extra_nodes, extra_init, logits_name="logits"):
    """nli_model's graph with extra nodes that may rewrite its logits."""
    model = nli_model(weights)
    graph = model.graph
    for node in graph.node:
        if node.output[0] == "logits":
            node.output[0] = "raw_logits"
    graph.node.extend(extra_nodes)
    graph.initializer.extend(extra_init)
    onnx.checker.check_model(model)
    return model


def nli_throwing(weights):
    """The weights lack the last vocabulary row: a text with that word makes Gather fail."""
    model = nli_model(weights[:-1])
    return model


def nli_slow(weights, slow_id, size=2000, rounds=24):
    """If the text holds the slow word, `rounds` size x size matrix products run before the answer."""
    products = [helper.make_node("MatMul", ["big_runtime", "big_runtime"], ["product0"])]
    for r in range(1, rounds):
        products.append(helper.make_node("MatMul", [f"product{r - 1}", "big_runtime"], [f"product{r}"]))
    big = helper.make_graph(
        [helper.make_node("ConstantOfShape", ["big_shape"], ["big"],
                          value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1e-6])),
         # Scaled by a value known only at run time, so that ONNX Runtime cannot fold the products.
         helper.make_node("Mul", ["big", "slow_scale"], ["big_runtime"])]
        + products
        + [helper.make_node("ReduceSum", [f"product{rounds - 1}"], ["delay"], keepdims=0)],
        "slow_branch", [], [helper.make_tensor_value_info("delay", TensorProto.FLOAT, [])],
        [numpy_helper.from_array(np.array([size, size], dtype=np.int64), "big_shape")])
    quick = helper.make_graph(
        [helper.make_node("Constant", [], ["no_delay"], value=numpy_helper.from_array(np.array(0.0, dtype=np.float32)))],
        "quick_branch", [], [helper.make_tensor_value_info("no_delay", TensorProto.FLOAT, [])])
    nodes = [
        helper.make_node("Equal", ["input_ids", "slow_id"], ["is_slow"]),
        helper.make_node("Cast", ["is_slow"], ["is_slow_i"], to=TensorProto.INT64),
        helper.make_node("ReduceMax", ["is_slow_i"], ["any_slow_i"], keepdims=0),
        helper.make_node("Cast", ["any_slow_i"], ["any_slow"], to=TensorProto.BOOL),
        helper.make_node("Cast", ["any_slow_i"], ["slow_scale"], to=TensorProto.FLOAT),
        helper.make_node("If", ["any_slow"], ["delay_value"], then_branch=big, else_branch=quick),
        helper.make_node("Mul", ["delay_value", "zero"], ["nothing"]),
        helper.make_node("Add", ["raw_logits", "nothing"], ["logits"]),
    ]
    init = [numpy_helper.from_array(np.array(slow_id, dtype=np.int64), "slow_id"),
            numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero")]
    return nli_model_with(weights, nodes, init)


def nli_hoarding(weights, hoard_id, width=100_000_000):
    """If the text holds the hoard word, the logits are padded with `width` zeros per row."""
    wide = helper.make_graph(
        [helper.make_node("Shape", ["raw_logits"], ["logits_shape"]),
         helper.make_node("Slice", ["logits_shape", "zero_i", "one_i"], ["row_count"]),
         helper.make_node("Concat", ["row_count", "width"], ["pad_shape"], axis=0),
         helper.make_node("ConstantOfShape", ["pad_shape"], ["pad"],
                          value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.0])),
         helper.make_node("Concat", ["raw_logits", "pad"], ["wide_logits"], axis=1)],
        "hoard_branch", [], [helper.make_tensor_value_info("wide_logits", TensorProto.FLOAT, None)])
    narrow = helper.make_graph(
        [helper.make_node("Identity", ["raw_logits"], ["same_logits"])],
        "plain_branch", [], [helper.make_tensor_value_info("same_logits", TensorProto.FLOAT, None)])
    nodes = [
        helper.make_node("Equal", ["input_ids", "hoard_id"], ["is_hoard"]),
        helper.make_node("Cast", ["is_hoard"], ["is_hoard_i"], to=TensorProto.INT64),
        helper.make_node("ReduceMax", ["is_hoard_i"], ["any_hoard_i"], keepdims=0),
        helper.make_node("Cast", ["any_hoard_i"], ["any_hoard"], to=TensorProto.BOOL),
        helper.make_node("If", ["any_hoard"], ["logits"], then_branch=wide, else_branch=narrow),
    ]
    init = [numpy_helper.from_array(np.array(hoard_id, dtype=np.int64), "hoard_id"),
            numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_i"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "one_i"),
            numpy_helper.from_array(np.array([width], dtype=np.int64), "width")]
    model = nli_model_with(weights, nodes, init)
    # The declared output is [batch, 3]; it is [batch, 3 + width] when hoarding.
    del model.graph.output[0].type.tensor_type.shape.dim[:]
    onnx.checker.check_model(model)
    return model


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def hf_zero_shot(logits, entailment, multi_label):
    """transformers' ZeroShotClassificationPipeline.postprocess, for one sequence."""
    n = logits.shape[0]
    if multi_label or n == 1:
        contradiction = -1 if entailment == 0 else 0
        return np.array([softmax(np.array([row[contradiction], row[entailment]]))[1] for row in logits])
    return softmax(logits[:, entailment])


NLI_CASES = [
    {"text": "John Doe is a Go Developer at Google. He has been working there for 10 years and has been"
             " awarded employee of the year.", "labels": ["job", "nature", "space"]},
    {"text": "We hiked through the forest and watched the birds by the river.", "labels": ["nature", "space"]},
    {"text": "I love pizza!", "labels": ["job"]},
    {"text": "The rocket launched and reached orbit, unbelievable!", "labels": ["space", "sports", "politics", "economy"]},
]
TEMPLATE = "This example is {}."


def nli_expected(weights, label2id, max_length):
    entailment = next((i for label, i in label2id.items() if label.lower().startswith("entail")), -1)
    cases = []
    for case in NLI_CASES:
        rows = []
        for label in case["labels"]:
            ids, types = encode_pair(case["text"], TEMPLATE.replace("{}", label), max_length)
            rows.append((weights[ids] * (1 + np.array(types, dtype=np.float32))[:, None]).sum(axis=0))
        logits = np.array(rows, dtype=np.float64)
        for multi in (False, True):
            scores = hf_zero_shot(logits, entailment, multi)
            order = sorted(range(len(scores)), key=lambda i: -scores[i])
            cases.append({"text": case["text"], "labels": case["labels"], "multi_class": multi,
                          "max_tokens": max_length, "logits": logits.tolist(),
                          "expected": {"labels": [case["labels"][i] for i in order],
                                       "scores": [float(scores[i]) for i in order]}})
    return cases


NER_LABELS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
NER_SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
NER_WORDS = """John Doe works at Google in Paris . , José met and Zoë near the city of lived with
a was there for many years 東 京 Parl ##ance ##ville Ada Lovelace""".split()
NER_VOCAB = NER_SPECIAL + NER_WORDS
NER_IDS = {t: i for i, t in enumerate(NER_VOCAB)}


def ner_tokenizer_json(max_length):
    t = tokenizer_json(max_length)
    t["normalizer"]["lowercase"] = False
    t["added_tokens"] = [dict(a, id=NER_IDS[a["content"]]) for a in t["added_tokens"]]
    t["post_processor"]["special_tokens"] = {k: dict(v, ids=[NER_IDS[k]]) for k, v in t["post_processor"]["special_tokens"].items()}
    t["model"]["vocab"] = NER_IDS
    return t


def ner_rows():
    """Probability rows per token; unlisted tokens are O with 0.99."""
    def row(**probs):
        p = np.full(len(NER_LABELS), 0.0)
        for label, v in probs.items():
            p[NER_LABELS.index(label.replace("_", "-"))] = v
        rest = 1.0 - p.sum()
        zero = p == 0
        p[zero] = rest / zero.sum()
        return p
    rows = {t: row(O=0.99) for t in NER_VOCAB}
    rows.update({
        "John": row(B_PER=0.98), "Doe": row(I_PER=0.95), "José": row(B_PER=0.97),
        "Zoë": row(B_PER=0.90), "Ada": row(B_PER=0.96), "Lovelace": row(I_PER=0.93),
        "Google": row(B_ORG=0.99), "Paris": row(B_LOC=0.97),
        "東": row(B_LOC=0.92), "京": row(I_LOC=0.91),
        "Parl": row(B_ORG=0.5, I_MISC=0.4), "##ance": row(B_LOC=0.9, I_MISC=0.05),
        "##ville": row(I_MISC=0.6, B_ORG=0.35),
        "[CLS]": row(B_PER=0.99), "[SEP]": row(B_PER=0.99),
    })
    return np.array([rows[t] for t in NER_VOCAB])


def ner_model(probs):
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])
    types = helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "sequence"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "sequence", len(NER_LABELS)])
    nodes = [helper.make_node("Gather", ["W", "input_ids"], ["logits"], axis=0)]
    init = [numpy_helper.from_array(np.log(probs).astype(np.float32), "W")]
    graph = helper.make_graph(nodes, "ner_tiny", [ids, mask, types], [logits], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="parlance-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def is_punct(c):
    o = ord(c)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def is_cjk(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF or 0x2A700 <= o <= 0x2B73F
            or 0x2B740 <= o <= 0x2B81F or 0x2B820 <= o <= 0x2CEAF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F)


def ner_encode(text):
    """BertNormalizer (cased) + BertPreTokenizer + WordPiece over NER_VOCAB, with code-point offsets."""
    words, start = [], None
    for i, c in enumerate(text + " "):
        if c.isspace() or is_punct(c) or is_cjk(c):
            if start is not None:
                words.append((start, i))
                start = None
            if not c.isspace() and i < len(text):
                words.append((i, i + 1))
        elif start is None:
            start = i
    tokens = []  # (id, start, end, word index, is_unknown)
    for w, (ws, we) in enumerate(words):
        word, pos, pieces = text[ws:we], 0, []
        while pos < len(word):
            end = len(word)
            while end > pos:
                piece = word[pos:end] if pos == 0 else "##" + word[pos:end]
                if piece in NER_IDS:
                    pieces.append((NER_IDS[piece], ws + pos, ws + end, w, False))
                    break
                end -= 1
            if end == pos:
                pieces = [(NER_IDS["[UNK]"], ws, we, w, True)]
                break
            pos = end
        tokens.extend(pieces)
    return tokens


def ner_windows(tokens, max_length, stride):
    """Hugging Face's fast-tokenizer overflow: windows of max_length - 2 tokens, stride overlapping."""
    size = max_length - 2
    if len(tokens) <= size:
        return [tokens]
    windows, start = [], 0
    while True:
        stop = min(start + size, len(tokens))
        windows.append(tokens[start:stop])
        if stop == len(tokens):
            return windows
        start += size - stride


def hf_token_classification(text, tokens, probs, strategy):
    """transformers' TokenClassificationPipeline.postprocess for one window (special tokens already out)."""
    pre = []
    for tid, start, end, word, unknown in tokens:
        piece = NER_VOCAB[tid]
        is_subword = len(piece) != len(text[start:end])
        if unknown:
            is_subword = False
        pre.append({"scores": probs[tid], "start": start, "end": end, "is_subword": is_subword})
    if strategy == "simple":
        entities = [{"entity": NER_LABELS[int(np.argmax(p["scores"]))], "score": float(np.max(p["scores"])),
                     "start": p["start"], "end": p["end"]} for p in pre]
    else:
        words, group = [], None
        for p in pre:
            if group is None:
                group = [p]
            elif p["is_subword"]:
                group.append(p)
            else:
                words.append(group)
                group = [p]
        if group is not None:
            words.append(group)
        entities = []
        for w in words:
            if strategy == "first":
                scores = w[0]["scores"]
            elif strategy == "max":
                scores = max(w, key=lambda e: e["scores"].max())["scores"]
            else:
                scores = np.nanmean(np.stack([e["scores"] for e in w]), axis=0)
            idx = int(scores.argmax())
            entities.append({"entity": NER_LABELS[idx], "score": float(scores[idx]), "start": w[0]["start"], "end": w[-1]["end"]})
    groups, current = [], []

    def tag(name):
        if name.startswith("B-"):
            return "B", name[2:]
        if name.startswith("I-"):
            return "I", name[2:]
        return "I", name

    def close(group):
        return {"type": group[0]["entity"].split("-", 1)[-1], "score": float(np.nanmean([e["score"] for e in group])),
                "start": group[0]["start"], "end": group[-1]["end"]}

    for e in entities:
        if not current:
            current = [e]
            continue
        bi, t = tag(e["entity"])
        _, last = tag(current[-1]["entity"])
        if t == last and bi != "B":
            current.append(e)
        else:
            groups.append(close(current))
            current = [e]
    if current:
        groups.append(close(current))
    return [g for g in groups if g["type"] != "O"]


def hf_overlapping(entities):
    if not entities:
        return entities
    entities = sorted(entities, key=lambda x: x["start"])
    out, previous = [], entities[0]
    for e in entities:
        if previous["start"] <= e["start"] < previous["end"]:
            if e["end"] - e["start"] > previous["end"] - previous["start"]:
                previous = e
            elif e["end"] - e["start"] == previous["end"] - previous["start"] and e["score"] > previous["score"]:
                previous = e
        else:
            out.append(previous)
            previous = e
    out.append(previous)
    return out


def utf16(text, index):
    return len(text[:index].encode("utf-16-le")) // 2


NER_CASES = [
    "John Doe works at Google in Paris.",
    "🙂🙂 José met Zoë in 東京, near Parlanceville.",
    "Ada   Lovelace\n\nlived   in Paris,\tnear Google.",
    "Parlanceville",
    "the city of Parlanceville was there for many years",
]
# With 16 tokens a window (14 of text) and a stride of 4, windows start at tokens 0, 10, 20, 30:
# "John" (token 13) ends the first window and "Doe" (14) is only in the second, and the three
# pieces of the second "Parlanceville" (23-25) straddle the end of the second window.
LONG_TEXT = ("the city of Parlanceville was there for many years and a John Doe works at Google in Paris."
             " a city Parlanceville lived with José near the city of Paris for many years.")


def ner_expected(probs):
    cases = []
    texts = [(t, 512, 0) for t in NER_CASES] + [(LONG_TEXT, 16, 4)]
    for text, max_length, stride in texts:
        windows = ner_windows(ner_encode(text), max_length, stride)
        for strategy in ("simple", "first", "average", "max"):
            found = []
            for window in windows:
                found.extend(hf_token_classification(text, window, probs, strategy))
            if len(windows) > 1:
                found = hf_overlapping(found)
            cases.append({"text": text, "strategy": strategy, "max_tokens": max_length, "stride": stride,
                          "windows": len(windows),
                          "entities": [{"start": utf16(text, e["start"]), "end": utf16(text, e["end"]), "type": e["type"],
                                        "text": text[e["start"]:e["end"]], "score": e["score"],
                                        "code_point_start": e["start"], "code_point_end": e["end"]} for e in found]})
    return cases


def write(folder, files):
    path = os.path.join(ROOT, folder)
    os.makedirs(path, exist_ok=True)
    for name, content in files.items():
        target = os.path.join(path, name)
        if isinstance(content, onnx.ModelProto):
            onnx.save(content, target)
        elif isinstance(content, str) and os.path.isfile(content):
            shutil.copyfile(content, target)
        else:
            with open(target, "w") as f:
                json.dump(content, f, indent=1, sort_keys=False)
                f.write("\n")


def main():
    weights = nli_weights()
    mnli = {"contradiction": 0, "neutral": 1, "entailment": 2}
    entail_first = {"entailment": 0, "neutral": 1, "contradiction": 2}
    for folder, label2id in (("nli-tiny", mnli), ("nli-tiny-entail0", entail_first)):
        write(folder, {
            "model.onnx": nli_model(weights),
            "tokenizer.json": tokenizer_json(512),
            "config.json": {"architectures": ["LookupForSequenceClassification"], "model_type": "bert",
                            "label2id": label2id, "id2label": {str(v): k for k, v in label2id.items()}},
        })
    expected = {"template": TEMPLATE, "nli-tiny": nli_expected(weights, mnli, 512)
                + nli_expected(weights, mnli, 16),
                "nli-tiny-entail0": nli_expected(weights, entail_first, 512)}
    write(".", {"expected-nli.json": expected})
    # Fault fixtures: one extra vocabulary word each, the same weights otherwise.
    for folder, word in (("nli-throws", "explode"), ("nli-slow", "dawdle"), ("nli-hoard", "hoard")):
        vocab_ids = dict(IDS, **{word: len(IDS)})
        tokenizer = tokenizer_json(512)
        tokenizer["model"]["vocab"] = vocab_ids
        grown = np.vstack([weights, np.zeros((1, 3), dtype=np.float32)])
        model = {"explode": lambda: nli_throwing(grown), "dawdle": lambda: nli_slow(grown, vocab_ids[word]),
                 "hoard": lambda: nli_hoarding(grown, vocab_ids[word])}[word]()
        write(folder, {"model.onnx": model, "tokenizer.json": tokenizer,
                       "config.json": {"model_type": "bert", "label2id": mnli,
                                       "id2label": {str(v): k for k, v in mnli.items()}}})
    probs = ner_rows()
    label2id = {label: i for i, label in enumerate(NER_LABELS)}
    write("ner-tiny", {
        "model.onnx": ner_model(probs),
        "tokenizer.json": ner_tokenizer_json(512),
        "config.json": {"architectures": ["LookupForTokenClassification"], "model_type": "bert",
                        "id2label": {str(i): label for i, label in enumerate(NER_LABELS)}, "label2id": label2id},
    })
    write(".", {"expected-ner.json": ner_expected(probs)})
    print("fixtures written to", os.path.normpath(ROOT))


if __name__ == "__main__":
    main()
