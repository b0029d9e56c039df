#!/usr/bin/python3
"""Makes the tiny, deterministic ONNX models the tests use, and the outputs they must give.

Run through scripts/make-fixtures (it installs Debian's python3-onnx). Output goes to
src/test/resources/models/ and is committed, so tests never need Python.

nli-tiny: a "lookup" NLI cross-encoder. Each token id has a fixed row of 3 logits; a pair's
logits are the sum over its real tokens (attention_mask = 1) of row x (1 + token_type_id), so
hypothesis tokens count double. Padding tokens have non-zero rows, so a server that ignores
the attention mask gets different numbers, and so does one that drops token_type_ids.
The same weights are shipped twice: with entailment at index 2 (MNLI order) and at index 0.

expected-nli.json holds, for each test case, the logits computed here with numpy and the
scores of Hugging Face's zero-shot formula, computed here independently of the server.
"""
import json
import os
import re
import shutil

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
    print("fixtures written to", os.path.normpath(ROOT))


if __name__ == "__main__":
    main()
