#!/usr/bin/env python3
"""Makes tiny real-architecture Hugging Face models (ONNX) and the answers the real transformers pipelines give.

Run it through scripts/make-hf-fixtures, which installs pinned packages from this machine's local wheel mirror into
a virtualenv outside the source tree (~/.cache/parlance/venv-fixtures). Output, committed so that tests never need Python:

    src/test/resources/models/hf/<model>/{model.onnx, tokenizer.json, config.json}
    src/test/resources/models/hf/expected.json         (zero-shot and NER models: SPECS)
    src/test/resources/models/hf/expected-tasks.json   (text-classification, rerank, tokenize: TASK_SPECS)

--only MODEL... builds only those models: expected.json is then left as it was, and expected-tasks.json is written
only when every TASK_SPECS model is among them (scripts/make-hf-fixtures --only bert-sentiment bert-regression
distilbert-sst2 roberta-multilabel bert-rerank leaves every expected.json model and file untouched).

Each model folder holds what `optimum-cli export onnx` would leave for the server: the HF config.json (with
id2label / label2id), the fast tokenizer's tokenizer.json exactly as save_pretrained() writes it, and an ONNX graph
whose inputs are named as optimum names them for the architecture (int64 [batch, sequence], both axes dynamic) and
whose first output is `logits`. Everything is deterministic: fixed seeds, one torch/ONNX Runtime thread, our own
tie-breaking where a trainer has none; two runs (also from a freshly installed virtualenv) give byte-identical files.

The oracle
----------
expected.json holds what the real pipelines answer, run on the torch model loaded from a full save_pretrained()
folder (the ONNX file is not involved):
  pipeline("zero-shot-classification", model=dir)(text, candidate_labels=..., multi_label=...,
                                                   hypothesis_template=...)
  pipeline("token-classification", model=dir, aggregation_strategy=..., [stride=...])(text)
with tokenizer.model_max_length = max_tokens (saved in tokenizer_config.json, which the server does not read: the
Java test must configure maxTokens = models.<name>.max_tokens). Requests that HF refuses are recorded, with the
exception text, in zero_shot_errors / ner_errors. Scores are the pipelines' float32 values, widened to double.

Every case is also checked here the way the Java server will work: tokenizer.json loaded with the `tokenizers`
library alone must give the same ids and offsets (and the same stride windows) as the pipeline's tokenizer, and for
zero-shot, all labels of a request run as one ONNX batch padded with input_ids=0 / attention_mask=0, then scored
with HF's formula, must reproduce the pipeline's scores (largest difference in models.<name>.
zero_shot_server_simulation_max_abs_diff). The token ids are recorded per case (input_ids: one list per label, or
one per stride window) so that a Java failure can be told apart as a tokenizer or a model difference.

The models (hidden 32, 1-2 layers, 2 heads, 256 positions, a vocabulary of 400-800)
------------------------------------------------------------------------------------
bart-nli        BartForSequenceClassification (1 encoder + 1 decoder layer), MNLI order {0: contradiction,
                1: neutral, 2: entailment}; byte-level BPE (BartTokenizer = RobertaTokenizer in transformers 5, no
                prefix space, <s> A </s></s> B </s>); inputs input_ids, attention_mask. Pad id is 1 and 0 is <s>.
                BART pools the hidden state of the last </s>, which is what makes a "</s>" label interesting.
deberta-nli     DebertaV2ForSequenceClassification, deberta-v3 style (relative attention, position buckets, no
                absolute positions, type_vocab_size=0 so no token_type_ids input), {0: entailment,
                1: not_entailment}: entailment at 0, so HF's multi-label "contradiction" column is the last one.
                SentencePiece Unigram vocabulary with Metaspace, [CLS] A [SEP] B [SEP], max_tokens 40.
distilbert-nli  DistilBertForSequenceClassification, {0: entailment, 1: neutral, 2: contradiction}; uncased
                WordPiece (accents stripped), no token_type_ids input.
bert-ner        BertForTokenClassification with dslim/bert-base-NER's labels; cased WordPiece (## continuation);
                inputs input_ids, attention_mask, token_type_ids. max_tokens 32, stride 8.
roberta-ner     RobertaForTokenClassification, same labels; byte-level BPE with add_prefix_space=True and
                trim_offsets=True as RoBERTa NER models have; tokenizer.json's BPE model says
                "continuing_subword_prefix": "" (falsy, so HF uses its fallback word heuristic). max_tokens 28,
                stride 6.
xlmr-ner        XLMRobertaForTokenClassification, same labels; SentencePiece Unigram with unk_id 3 and, as the real
                XLM-R has, a Precompiled (nmt_nfkc) normalizer, so "Ⅻ" becomes <unk> I I and full-width letters
                fold to ASCII. max_tokens 24, stride 5.
All three NER models and the WordPiece / Unigram NLI models meet characters they do not know (emoji, rare CJK,
runes...), and many words split into several pieces (Parlanceville, Oberammergau, Eyjafjallajökull...).

The task models (expected-tasks.json; same sizes, seeds 21-25, heads centred: see center_head())
----------------------------------------------------------------------------------------------
bert-sentiment      BertForSequenceClassification, {0: negative, 1: neutral, 2: positive}, no problem_type
                    (default function: softmax); cased WordPiece (bert-ner's tokenizer.json); max_tokens 32.
bert-regression     BertForSequenceClassification, num_labels 1 ({0: LABEL_0}), problem_type "regression"
                    (default function: none, the raw logit); cased WordPiece; max_tokens 24.
distilbert-sst2     DistilBertForSequenceClassification, {0: NEGATIVE, 1: POSITIVE} as distilbert-sst2,
                    problem_type "single_label_classification" (softmax); uncased WordPiece; max_tokens 28.
roberta-multilabel  RobertaForSequenceClassification, {sports, politics, food, technology, science},
                    problem_type "multi_label_classification" (sigmoid); byte-level BPE without prefix space
                    (bart-nli's tokenizer.json); max_tokens 32.
bert-rerank         BertForSequenceClassification, num_labels 1, no problem_type (sigmoid): a cross-encoder like
                    cross-encoder/ms-marco-MiniLM-L-6-v2, fed [CLS] query [SEP] text [SEP] with token_type_ids;
                    uncased WordPiece; max_tokens 40.
Their oracles, in expected-tasks.json (whose "notes" say the semantics in full):
  text_classification         pipeline("text-classification")(text, **kwargs) for 15 texts per classifier (9 on
                              bert-rerank) with kwargs {}, top_k None/1/2, function_to_apply softmax/sigmoid/none;
                              texts longer than max_tokens with truncation=True and also without (HF's default:
                              no truncation). Outputs verbatim, plus input_ids and the raw logits.
  text_classification_errors  a text beyond the 256 positions, which the untruncating pipeline cannot run.
  text_classification_shapes  list inputs, top_k given to pipeline(), a {"text", "text_pair"} input.
  rerank                      8 queries x 3-6 texts: the logit of tokenizer([query], [text], truncation=
                              "longest_first", max_length=max_tokens) through the torch model (as sentence-
                              transformers' CrossEncoder and TEI truncate), sigmoid(logit), the only_second
                              alternative, CrossEncoder.predict / CrossEncoder.rank (the oracle; checked to agree with
                              the logits < 1e-4) and the order by score.
  tokenize                    the fast tokenizer (AutoTokenizer over the saved folder) on PROBE_TEXTS, "", a long
                              text (whole and truncated at max_tokens) and two texts without special tokens: ids,
                              tokens, special-token flags, offsets in code points, UTF-16 units and UTF-8 bytes; for
                              the expected.json models too, whose tokenizers are rebuilt (not the models) and must be
                              byte-identical to the committed tokenizer.json. tokenizer.json alone must agree.
Every classifier's ONNX graph is checked as above, and the server's way (every text / pair of a request in one ONNX
batch padded with 0) must give the recorded logits (models.<name>.*_server_simulation_max_abs_diff).
sentence-transformers 6.0.1 (and scikit-learn, scipy, which it imports) comes from the same local mirror.

Tokenizers: the vocabularies are trained here on CORPUS (byte-level BPE with tokenizers' BpeTrainer; WordPiece
with a few lines of BPE of our own, because tokenizers' WordPieceTrainer breaks ties differently from run to run;
Unigram with the sentencepiece trainer), then handed as vocab/merges to the transformers 5 class of each
architecture, which builds the normalizer, pre-tokenizer, post-processor and decoder itself. That matters: in
transformers 5, loading a folder whose tokenizer_config.json names a model-specific class (BertTokenizer,
RobertaTokenizer, XLMRobertaTokenizer, DebertaV2Tokenizer...) takes only the vocabulary, merges and post-processor
from tokenizer.json and rebuilds the rest from the class's code; built this way, tokenizer.json and the class agree.

Weights: random, seeds 11-16, initializer_range 0.2, then word embeddings x4 and classifier weights x3 so that
token identity dominates and logits spread out; the NER heads get +2 on "O", so that a good share of the tokens are O
and the others carry entities (every NER case list has B-/I- groups of several types).

ONNX: torch.onnx.export with the TorchScript exporter (dynamo=False), opset 17, eager attention, traced on a padded
batch of two so that nothing that depends on "no padding" is baked into the graph. Checked here: onnx.checker;
ONNX vs torch on several batch sizes and lengths (< 1e-4; models.<name>.onnx_vs_torch_max_abs_diff); a row padded
the server's way inside a batch vs the same row alone (models.<name>.padded_batch_vs_single_max_abs_diff).

Versions and the tokenizers pin
-------------------------------
transformers 5.18.0, torch 2.13.0+cpu, onnx 1.23.1, onnxruntime 1.30.0 and tokenizers 0.22.2 (recorded in
expected.json). tokenizers 0.23.1 and 0.23.2 drop overflowing tokens (huggingface/tokenizers#2091), so the
pipeline's stride windows would lose the end of long texts; 0.22.2 is pinned. transformers 5.18.0 asks for
tokenizers>=0.23.1 at import time; see import_transformers() for how that one check is stepped past.
"""
import argparse
import collections
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import types
import warnings

os.environ["RUST_BACKTRACE"] = "0"  # a tokenizers panic (recorded in ner_errors) prints one line, not a backtrace
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything is local: never ask the Hub (CrossEncoder, pipelines)

# --------------------------------------------------------------------------------------------
# Importing transformers with tokenizers 0.22.2.
# --------------------------------------------------------------------------------------------
TOKENIZERS_PIN = "0.22.2"


def import_transformers():
    """Imports transformers although its import-time check wants tokenizers>=0.23.1.

    transformers/__init__.py runs `from . import dependency_versions_check`, a module whose only job is to call
    require_version_core() for each package of its install_requires. We put a stand-in for that one module in
    sys.modules before the import, then run the very same checks ourselves for every package except tokenizers,
    and check that tokenizers is exactly the pinned 0.22.2. Nothing in site-packages is edited and no other code
    path changes.
    """
    name = "transformers.dependency_versions_check"
    if "transformers" not in sys.modules:
        stub = types.ModuleType(name)
        stub.__doc__ = "Stand-in installed by scripts/make_hf_fixtures.py (tokenizers pinned to 0.22.2)."
        stub.dep_version_check = lambda pkg, hint=None: None
        sys.modules[name] = stub
    import tokenizers
    import transformers
    from transformers.dependency_versions_table import deps
    from transformers.utils.versions import require_version, require_version_core

    # transformers' own list (pkgs_to_check_at_runtime) less tokenizers, and less accelerate, which it checks only
    # when installed (it is not).
    for pkg in ["python", "tqdm", "regex", "packaging", "filelock", "numpy", "huggingface-hub", "safetensors",
                "pyyaml"]:
        require_version_core(deps[pkg])
    if tokenizers.__version__ != TOKENIZERS_PIN:
        raise SystemExit(f"tokenizers {tokenizers.__version__} is installed; these fixtures need {TOKENIZERS_PIN} "
                         "(0.23.1 and 0.23.2 drop overflowing tokens, huggingface/tokenizers#2091)")
    sys.modules[name].dep_version_check = lambda pkg, hint=None: require_version(deps[pkg], hint)
    return transformers


transformers = import_transformers()
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tokenizers  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from transformers import pipeline  # noqa: E402

torch.set_num_threads(1)
transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "src", "test", "resources", "models", "hf")
OPSET = 17

# --------------------------------------------------------------------------------------------
# Training corpus for the tiny vocabularies. Characters that never occur here (emoji, most
# CJK characters, Roman numerals, runes, snowmen, ...) are unknown to the WordPiece and
# Unigram vocabularies; byte-level BPE has no unknown characters at all.
# --------------------------------------------------------------------------------------------
CORPUS = """
John Smith works for Google in Berlin.
Angela Merkel visited Paris and London last week.
Marie Curie was born in Warsaw and worked in Paris.
Barack Obama met Emmanuel Macron at the United Nations in New York.
Apple and Microsoft opened new offices in Zürich and München.
The café in Zürich serves coffee and cake to tourists.
She was naïve about the football match in Madrid.
François Hollande spoke to the European Union in Brussels.
Björn Borg won the tennis final in Stockholm.
São Paulo is the largest city in Brazil.
東京は日本の都市です。
東京と大阪は日本にあります。
Tokyo is the capital of Japan and Berlin is the capital of Germany.
Amazon and Siemens signed a contract in Frankfurt.
The election results surprised the government in Washington.
The president gave a speech about the economy and taxes.
The football team won the championship after a long season.
The tennis player lost the match but the fans cheered.
I love pizza and pasta from Italy.
We cooked dinner with fresh tomatoes and cheese.
The new phone has a fast processor and a bright screen.
The software update fixed a bug in the computer.
The rocket launched into space and reached orbit.
Scientists discovered a new planet near a distant star.
The weather is sunny and warm in Madrid today.
Heavy rain and storms hit the coast of Norway.
The museum in Paris shows paintings by Claude Monet.
The orchestra played music by Johann Sebastian Bach in Leipzig.
The doctor said the patient was healthy.
The hospital in Boston hired new nurses.
The bank raised interest rates to fight inflation.
Stock markets fell sharply in Tokyo and London.
The film won an award at the festival in Cannes.
The actor Tom Hanks starred in a new movie.
The students studied history and science at the university.
The teacher explained the lesson to the children.
This example is about sports. This example is about politics.
This example is about food. This example is about travel.
This example is about technology. This example is about science.
The topic is sports. The topic is politics. The topic is business.
The topic is health. The topic is music. The topic is weather.
Parlanceville is a small town near Oberammergau.
Grzegorz Brzęczyszczykiewicz lives in Chrząszczyrzewoszyce.
The Eyjafjallajökull volcano erupted in Iceland.
Dr. Müller and Mrs. Øster met at the Crédit Agricole office.
He said: "the deal is done", and left.
Prices rose by 10 percent in 2023 and 2024.
John Smith met Angela Merkel in Berlin and Paris.
Marie Curie and John Smith visited London, Paris and New York.
Google, Apple, Amazon and Microsoft are companies in the United States.
The United Nations and the European Union met in Brussels and Washington.
Emmanuel Macron and Barack Obama talked about football, tennis and the economy.
Tom Hanks and Claude Monet are famous names; Johann Sebastian Bach is famous too.
Berlin, Paris, London, Madrid, Tokyo and Zürich are cities.
Germany, France, Japan, Italy, Brazil and Norway are countries.
The company Siemens is based in München and the bank is based in Frankfurt.
Smith works in Boston; Curie worked in Warsaw; Borg played in Stockholm.
""".strip().splitlines()


# --------------------------------------------------------------------------------------------
# Tokenizers: trained here with the `tokenizers` / `sentencepiece` trainers, then handed to the
# transformers class of each architecture, which builds its backend the way transformers 5 does.
# --------------------------------------------------------------------------------------------
def train_byte_level_bpe(vocab_size):
    """RoBERTa/BART-style byte-level BPE: <s>=0 <pad>=1 </s>=2 <unk>=3 ... <mask>=last."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=1, show_progress=False,
                                  special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    data = json.loads(tok.to_str())
    vocab = dict(data["model"]["vocab"])
    vocab["<mask>"] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in data["model"]["merges"]]
    return vocab, merges


def train_wordpiece(vocab_size, lowercase):
    """BERT-style WordPiece vocabulary with ## continuation: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4.

    A few lines of plain BPE over BERT-normalised, BERT-pre-tokenised words, with ties broken by the pair's text,
    because tokenizers' WordPieceTrainer breaks ties differently from run to run.
    """
    norm = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                      lowercase=lowercase)
    pre = pre_tokenizers.BertPreTokenizer()
    counts = collections.Counter(w for line in CORPUS for w, _ in pre.pre_tokenize_str(norm.normalize_str(line)))
    words = {w: [w[0]] + ["##" + c for c in w[1:]] for w in sorted(counts)}
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab += sorted({s for syms in words.values() for s in syms})
    while len(vocab) < vocab_size:
        pairs = collections.Counter()
        for w, syms in words.items():
            for pair in zip(syms, syms[1:]):
                pairs[pair] += counts[w]
        if not pairs:
            break
        a, b = min(pairs, key=lambda pair: (-pairs[pair], pair))
        merged = a + b[2:]
        for w, syms in words.items():
            i, out = 0, []
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[w] = out
        if merged not in vocab:
            vocab.append(merged)
    return {t: i for i, t in enumerate(vocab)}


def train_unigram(vocab_size, normalization):
    """A SentencePiece Unigram model trained on CORPUS; returns its normal pieces and the precompiled charsmap."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(CORPUS), model_writer=buf, vocab_size=vocab_size,
                                   model_type="unigram", character_coverage=1.0, num_threads=1,
                                   normalization_rule_name=normalization, hard_vocab_limit=False,
                                   shuffle_input_sentence=False, minloglevel=2)
    proto = pb.ModelProto()
    proto.ParseFromString(buf.getvalue())
    pieces = [(p.piece, float(p.score)) for p in proto.pieces if p.type == pb.ModelProto.SentencePiece.NORMAL]
    return pieces, proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(kind, max_tokens):
    T = transformers
    if kind == "bart":
        vocab, merges = train_byte_level_bpe(800)
        return T.BartTokenizer(vocab=vocab, merges=merges, model_max_length=max_tokens)
    if kind == "roberta":
        vocab, merges = train_byte_level_bpe(800)
        return T.RobertaTokenizer(vocab=vocab, merges=merges, add_prefix_space=True, trim_offsets=True,
                                  model_max_length=max_tokens)
    if kind == "roberta-plain":  # RoBERTa sequence classifiers: no prefix space (the class's default)
        vocab, merges = train_byte_level_bpe(800)
        return T.RobertaTokenizer(vocab=vocab, merges=merges, model_max_length=max_tokens)
    if kind == "bert-cased":
        return T.BertTokenizer(vocab=train_wordpiece(520, lowercase=False), do_lower_case=False,
                               model_max_length=max_tokens)
    if kind == "bert-uncased":  # ms-marco cross-encoders: uncased BERT WordPiece
        return T.BertTokenizer(vocab=train_wordpiece(480, lowercase=True), do_lower_case=True,
                               model_max_length=max_tokens)
    if kind == "distilbert-uncased":
        return T.DistilBertTokenizer(vocab=train_wordpiece(480, lowercase=True), do_lower_case=True,
                                     model_max_length=max_tokens)
    if kind == "deberta":
        pieces, _ = train_unigram(800, "identity")
        vocab = [("[PAD]", 0.0), ("[CLS]", 0.0), ("[SEP]", 0.0), ("[UNK]", 0.0)] + pieces + [("[MASK]", 0.0)]
        return T.DebertaV2Tokenizer(vocab=vocab, model_max_length=max_tokens)
    if kind == "xlmr":
        pieces, charsmap = train_unigram(800, "nmt_nfkc")
        vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + pieces + [("<mask>", 0.0)]
        return T.XLMRobertaTokenizer(vocab=vocab, _spm_precompiled_charsmap=charsmap, model_max_length=max_tokens)
    raise ValueError(kind)


PROBE_TEXTS = [
    "John Smith works for Google in Berlin.",
    "The café in Zürich was naïve.",
    "東京は日本の首都です",
    "We ate 🍕 and celebrated 🎉 tonight!",
    "The   football    team  won.",
    "Ⅻ Grzegorz ☃ lives in ꙮ Chrząszczyrzewoszyce.",
    "Parlanceville and Oberammergau hosted Eyjafjallajökull researchers.",
    "  leading and trailing  ",
    "line one\nline two\tend",
    "ＦＵＬＬ　ｗｉｄｔｈ ﬁne",
]


# --------------------------------------------------------------------------------------------
# Models.
# --------------------------------------------------------------------------------------------
NER_LABELS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]  # dslim/bert-base-NER

# name: tokenizer kind, pipeline kind, max_tokens (= tokenizer.model_max_length), stride, seed, ONNX input names
# (as optimum names them for the architecture), and the weight scale that makes the random model opinionated.
SPECS = {
    "bart-nli": dict(tok="bart", kind="nli", max_tokens=32, seed=11,
                     labels=["contradiction", "neutral", "entailment"], inputs=["input_ids", "attention_mask"]),
    "deberta-nli": dict(tok="deberta", kind="nli", max_tokens=40, seed=12,
                        labels=["entailment", "not_entailment"], inputs=["input_ids", "attention_mask"]),
    "distilbert-nli": dict(tok="distilbert-uncased", kind="nli", max_tokens=32, seed=13,
                           labels=["entailment", "neutral", "contradiction"], inputs=["input_ids", "attention_mask"]),
    "bert-ner": dict(tok="bert-cased", kind="token-classification", max_tokens=32, stride=8, seed=14,
                     labels=NER_LABELS, inputs=["input_ids", "attention_mask", "token_type_ids"]),
    "roberta-ner": dict(tok="roberta", kind="token-classification", max_tokens=28, stride=6, seed=15,
                        labels=NER_LABELS, inputs=["input_ids", "attention_mask"]),
    "xlmr-ner": dict(tok="xlmr", kind="token-classification", max_tokens=24, stride=5, seed=16,
                     labels=NER_LABELS, inputs=["input_ids", "attention_mask"]),
}
# Random weights at initializer_range 0.2, then word embeddings x4 (token identity dominates the shared position /
# attention components) and classifier weights x3 (logits spread over several units). The NER heads get +2 on
# "O" so that a good share of the tokens are O and the others carry entities.
EMB_SCALE, HEAD_SCALE, O_BIAS = 4.0, 3.0, 2.0
TINY = dict(hidden=32, layers=2, heads=2, ffn=64, positions=256)

# The task fixtures (expected-tasks.json): sequence classifiers for text-classification and a cross-encoder for
# rerank. Same keys as SPECS, plus the architecture and, where set, the config's problem_type (which decides the
# text-classification pipeline's default function_to_apply). max_tokens differ on purpose (24 to 40).
BERT_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
TASK_SPECS = {
    "bert-sentiment": dict(tok="bert-cased", arch="bert", kind="text-classification", max_tokens=32, seed=21,
                           labels=["negative", "neutral", "positive"], inputs=BERT_INPUTS),
    "bert-regression": dict(tok="bert-cased", arch="bert", kind="text-classification", max_tokens=24, seed=22,
                            labels=["LABEL_0"], problem_type="regression", inputs=BERT_INPUTS),
    "distilbert-sst2": dict(tok="distilbert-uncased", arch="distilbert", kind="text-classification", max_tokens=28,
                            seed=23, labels=["NEGATIVE", "POSITIVE"], problem_type="single_label_classification",
                            inputs=["input_ids", "attention_mask"]),
    "roberta-multilabel": dict(tok="roberta-plain", arch="roberta", kind="text-classification", max_tokens=32,
                               seed=24, labels=["sports", "politics", "food", "technology", "science"],
                               problem_type="multi_label_classification", inputs=["input_ids", "attention_mask"]),
    "bert-rerank": dict(tok="bert-uncased", arch="bert", kind="rerank", max_tokens=40, seed=25, labels=["LABEL_0"],
                        inputs=BERT_INPUTS),
}
PAIR_KINDS = ("nli", "rerank")  # models fed (text, text pair) encodings


def build_model(name, spec, tok):
    T = transformers
    id2label = {i: label for i, label in enumerate(spec["labels"])}
    common = dict(num_labels=len(id2label), id2label=id2label, label2id={v: k for k, v in id2label.items()})
    V = len(tok)
    h, n, heads, ffn, pos = TINY["hidden"], TINY["layers"], TINY["heads"], TINY["ffn"], TINY["positions"]
    torch.manual_seed(spec["seed"])
    if name == "bart-nli":
        cfg = T.BartConfig(vocab_size=V, d_model=h, encoder_layers=1, decoder_layers=1, encoder_attention_heads=heads,
                           decoder_attention_heads=heads, encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
                           max_position_embeddings=pos, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                           eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
                           forced_eos_token_id=tok.eos_token_id, init_std=0.2, **common)
        model = T.BartForSequenceClassification(cfg)
    elif name == "deberta-nli":
        cfg = T.DebertaV2Config(vocab_size=V, hidden_size=h, num_hidden_layers=n, num_attention_heads=heads,
                                intermediate_size=ffn, max_position_embeddings=pos, type_vocab_size=0,
                                relative_attention=True, position_buckets=32, norm_rel_ebd="layer_norm",
                                share_att_key=True, pos_att_type=["p2c", "c2p"], position_biased_input=False,
                                max_relative_positions=-1, pad_token_id=tok.pad_token_id, initializer_range=0.2,
                                **common)
        model = T.DebertaV2ForSequenceClassification(cfg)
    elif name == "distilbert-nli":
        cfg = T.DistilBertConfig(vocab_size=V, dim=h, n_layers=n, n_heads=heads, hidden_dim=ffn,
                                 max_position_embeddings=pos, pad_token_id=tok.pad_token_id, initializer_range=0.2,
                                 **common)
        model = T.DistilBertForSequenceClassification(cfg)
    elif name == "bert-ner":
        cfg = T.BertConfig(vocab_size=V, hidden_size=h, num_hidden_layers=n, num_attention_heads=heads,
                           intermediate_size=ffn, max_position_embeddings=pos, type_vocab_size=2,
                           pad_token_id=tok.pad_token_id, initializer_range=0.2, **common)
        model = T.BertForTokenClassification(cfg)
    elif name in ("roberta-ner", "xlmr-ner"):
        cls_cfg, cls_model = ((T.RobertaConfig, T.RobertaForTokenClassification) if name == "roberta-ner"
                              else (T.XLMRobertaConfig, T.XLMRobertaForTokenClassification))
        cfg = cls_cfg(vocab_size=V, hidden_size=h, num_hidden_layers=n, num_attention_heads=heads,
                      intermediate_size=ffn, max_position_embeddings=pos + 2, type_vocab_size=1,
                      pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                      initializer_range=0.2, **common)
        model = cls_model(cfg)
    elif name in TASK_SPECS:
        # Sequence classifiers for text-classification and rerank; problem_type only where the spec sets one.
        if "problem_type" in spec:
            common["problem_type"] = spec["problem_type"]
        if spec["arch"] == "bert":
            cfg = T.BertConfig(vocab_size=V, hidden_size=h, num_hidden_layers=n, num_attention_heads=heads,
                               intermediate_size=ffn, max_position_embeddings=pos, type_vocab_size=2,
                               pad_token_id=tok.pad_token_id, initializer_range=0.2, **common)
            model = T.BertForSequenceClassification(cfg)
        elif spec["arch"] == "distilbert":
            cfg = T.DistilBertConfig(vocab_size=V, dim=h, n_layers=n, n_heads=heads, hidden_dim=ffn,
                                     max_position_embeddings=pos, pad_token_id=tok.pad_token_id,
                                     initializer_range=0.2, **common)
            model = T.DistilBertForSequenceClassification(cfg)
        elif spec["arch"] == "roberta":
            cfg = T.RobertaConfig(vocab_size=V, hidden_size=h, num_hidden_layers=n, num_attention_heads=heads,
                                  intermediate_size=ffn, max_position_embeddings=pos + 2, type_vocab_size=1,
                                  pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                                  eos_token_id=tok.eos_token_id, initializer_range=0.2, **common)
            model = T.RobertaForSequenceClassification(cfg)
        else:
            raise ValueError(spec["arch"])
    else:
        raise ValueError(name)
    sharpen(model, EMB_SCALE, HEAD_SCALE, [O_BIAS] + [0.0] * 8 if spec["kind"] == "token-classification" else None)
    model.eval()
    if name in TASK_SPECS:
        center_head(model, tok, spec)
    return model


def center_head(model, tok, spec):
    """Subtracts each logit's mean over CORPUS from the head's bias (for rerank, over pairs of consecutive lines).

    A random head has a favourite label that wins nearly every text; centred, the top label changes from text to
    text, and single-logit scores fall on both sides of 0 (sigmoid on both sides of 0.5).
    """
    lines = CORPUS
    enc = tok(lines[:-1], lines[1:], padding=True, truncation=True, return_tensors="pt") \
        if spec["kind"] == "rerank" else tok(lines, padding=True, truncation=True, return_tensors="pt")
    # The call above left its truncation and padding on the backend tokenizer, which save_pretrained() would write
    # into tokenizer.json: take them off again.
    tok.backend_tokenizer.no_truncation()
    tok.backend_tokenizer.no_padding()
    with torch.no_grad():
        logits = model(**{k: v for k, v in enc.items() if k in spec["inputs"]}).logits
        classifier_layer(model).bias.sub_(logits.mean(0))


def classifier_layer(model):
    for attr in ("classification_head", "classifier"):
        layer = getattr(model, attr, None)
        if layer is not None:
            return getattr(layer, "out_proj", layer)
    raise ValueError(type(model).__name__)


def sharpen(model, emb_scale, head_scale, label_bias=None):
    """Makes a random model opinionated: token identity dominates the hidden states and logits spread out."""
    with torch.no_grad():
        model.get_input_embeddings().weight.mul_(emb_scale)
        head = classifier_layer(model)
        head.weight.mul_(head_scale)
        if label_bias is not None:
            head.bias.add_(torch.tensor(label_bias, dtype=head.bias.dtype))


# --------------------------------------------------------------------------------------------
# ONNX export and checks.
# --------------------------------------------------------------------------------------------
class LogitsOnly(torch.nn.Module):
    """Positional inputs in `names` order -> logits, as optimum's exported graphs take and give them."""

    def __init__(self, model, names):
        super().__init__()
        self.model = model
        self.names = names
        self.eval()  # a new Module is in training mode, and the exporter restores the wrapper's mode afterwards

    def forward(self, *tensors):
        return self.model(**dict(zip(self.names, tensors)), return_dict=True).logits


def encode_for_model(tok, spec, texts, pairs=None, **kw):
    enc = tok(texts, pairs, return_tensors="pt", padding=True, **kw) if pairs else \
        tok(texts, return_tensors="pt", padding=True, **kw)
    return [enc[n] if n in enc else torch.zeros_like(enc["input_ids"]) for n in spec["inputs"]]


def export_onnx(model, spec, tok, path):
    model.set_attn_implementation("eager")
    names = spec["inputs"]
    # Traced on a padded batch of two, so that nothing that depends on "no padding" is baked into the graph.
    if spec["kind"] in PAIR_KINDS:
        dummy = encode_for_model(tok, spec, ["John Smith works for Google in Berlin.", "Hi."],
                                 ["This example is politics.", "This example is sports."])
    else:
        dummy = encode_for_model(tok, spec, ["John Smith works for Google in Berlin.", "Hi."])
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["logits"] = {0: "batch_size", 1: "sequence_length"} if spec["kind"] == "token-classification" else \
        {0: "batch_size"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(LogitsOnly(model, names), tuple(dummy), path, input_names=names, output_names=["logits"],
                          dynamic_axes=axes, opset_version=OPSET, dynamo=False, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def ort_session(path):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # the "</s>" batch check fails on purpose; keep its error out of the log
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def run_onnx(sess, feeds):
    return sess.run(["logits"], {k: np.asarray(v, dtype=np.int64) for k, v in feeds.items()})[0]


def check_onnx_vs_torch(sess, model, spec, tok, texts, pairs=None):
    """Largest |ONNX - torch| logit over several batch sizes and sequence lengths (tokenizer's own padding)."""
    worst = 0.0
    groups = [[0], [1], [0, 1, 2], list(range(len(texts)))]
    for g in groups:
        ts = [texts[i] for i in g]
        ps = [pairs[i] for i in g] if pairs else None
        tensors = encode_for_model(tok, spec, ts, ps, truncation=True)
        with torch.no_grad():
            ref = LogitsOnly(model, spec["inputs"])(*tensors).numpy()
        got = run_onnx(sess, dict(zip(spec["inputs"], [t.numpy() for t in tensors])))
        worst = max(worst, float(np.abs(ref - got).max()))
    if worst >= 1e-4:
        raise SystemExit(f"ONNX and torch disagree by {worst}")
    return worst


def server_batch(encodings, names):
    """Pads like the Java server: each row to the longest, input_ids=0, attention_mask=0, token_type_ids=0."""
    n = max(len(e.ids) for e in encodings)
    feeds = {k: np.zeros((len(encodings), n), dtype=np.int64) for k in names}
    for i, e in enumerate(encodings):
        L = len(e.ids)
        feeds["input_ids"][i, :L] = e.ids
        feeds["attention_mask"][i, :L] = e.attention_mask
        if "token_type_ids" in feeds:
            feeds["token_type_ids"][i, :L] = e.type_ids
    return feeds


def check_padding(sess, spec, raw, texts, pairs=None):
    """Largest difference between a row's logits alone and inside a server-padded batch (real positions only)."""
    encs = [raw.encode(t, p) if pairs else raw.encode(t) for t, p in zip(texts, pairs or [None] * len(texts))]
    batched = run_onnx(sess, server_batch(encs, spec["inputs"]))
    worst = 0.0
    for i, e in enumerate(encs):
        alone = run_onnx(sess, server_batch([e], spec["inputs"]))[0]
        row = batched[i, :len(e.ids)] if spec["kind"] == "token-classification" else batched[i]
        worst = max(worst, float(np.abs(row - alone).max()))
    return worst


def tokenizer_info(path):
    data = json.load(open(path, encoding="utf-8"))
    m = data["model"]
    info = {"model.type": m.get("type"),
            "continuing_subword_prefix": m.get("continuing_subword_prefix", "(absent)"),
            "unk_token": m.get("unk_token", "(absent)"), "unk_id": m.get("unk_id", "(absent)"),
            "normalizer": (data.get("normalizer") or {}).get("type"),
            "pre_tokenizer": (data.get("pre_tokenizer") or {}).get("type"),
            "post_processor": (data.get("post_processor") or {}).get("type")}
    return info


# --------------------------------------------------------------------------------------------
# Test cases.
# --------------------------------------------------------------------------------------------
T1, T2, T3 = "This example is {}.", "The topic is {}.", "{}"
LABELS_10 = ["sports", "politics", "food", "travel", "technology", "science", "business", "health", "music",
             "weather"]
LABELS_40 = LABELS_10 + ["art", "history", "education", "finance", "law", "movies", "books", "religion", "fashion",
                         "cars", "games", "nature", "animals", "space", "medicine", "economy", "crime", "war",
                         "peace", "family", "children", "cooking", "football", "tennis", "computers", "phones",
                         "cities", "countries", "language", "culture"]
LONG_PREMISE = ("The football team won the championship after a long season, and the fans cheered in Madrid. "
                "The president gave a speech about the economy and taxes, while the bank raised interest rates "
                "to fight inflation. Scientists discovered a new planet near a distant star.")
LONG_LABEL = ("sports and politics and food and travel and technology and science and business and health and "
              "music and weather and art and history")
ZS_TEXTS = dict(
    pizza="I love pizza and pasta from Italy.",
    accents="The café in Zürich was naïve about prices.",
    cjk="東京は日本の首都です",
    emoji="We ate 🍕 and celebrated 🎉 tonight!",
    spaces="The   football    team  won   again.",
    unknown="Ⅻ ☃ ꙮ ᚠᚢᚦ Grzegorz lives in Chrząszczyrzewoszyce.",
    election="The election results surprised the government.",
    rocket="The rocket launched into space.",
    whitespace="  leading and trailing spaces \n\t",
)


def zero_shot_cases(name, tok):
    z = ZS_TEXTS
    cases = [
        (z["pizza"], ["food", "sports", "politics"], False, T1),
        (z["pizza"], ["food", "sports", "politics"], True, T1),
        (z["accents"], ["travel", "food"], False, T2),
        (z["accents"], ["travel", "food"], True, T3),
        (z["cjk"], ["travel", "politics", "science"], False, T1),
        (z["cjk"], ["東京", "日本"], True, T2),
        (z["emoji"], LABELS_10, False, T1),
        (z["emoji"], ["🍕", "party", "food"], True, T3),
        (z["spaces"], ["sports", "music"], False, T3),
        (z["unknown"], ["travel", "history"], False, T1),
        (LONG_PREMISE, ["sports", "politics", "food"], False, T1),
        (LONG_PREMISE, LABELS_40, False, T2),
        (LONG_PREMISE, LABELS_40, True, T1),
        (z["election"], ["politics"], False, T1),
        (z["election"], ["politics"], True, T2),
        (z["rocket"], LABELS_10, True, T3),
        (z["rocket"], [LONG_LABEL, "space"], False, T1),
        (LONG_PREMISE, [LONG_LABEL], True, T1),
        (z["whitespace"], ["sports", "sports", "weather"], False, T1),
        # The model's own separator inside a label: a second separator token in the hypothesis.
        (z["pizza"], ["food", tok.sep_token, f"a {tok.sep_token} b"], False, T1),
    ]
    errors = [
        ("", ["food", "sports"], False, T1),
        (z["pizza"], [], False, T1),
        (z["pizza"], ["food", "sports"], False, "This has no placeholder."),
    ]
    return cases, errors


NER_SHORT = "John Smith works for Google in Berlin."
NER_SUBWORDS = "Parlanceville and Oberammergau hosted Eyjafjallajökull researchers."
NER_LONG = ("John Smith works for Google in Berlin. Angela Merkel visited Paris and London last week. "
            "Marie Curie was born in Warsaw and worked in Paris. Barack Obama met Emmanuel Macron at the United "
            "Nations in New York. Apple and Microsoft opened new offices in Zürich and München. François Hollande "
            "spoke to the European Union in Brussels. Björn Borg won the tennis final in Stockholm.")
ALL_STRATEGIES = ["none", "simple", "first", "average", "max"]


def ner_cases(spec):
    stride = spec["stride"]
    cases = [(NER_SHORT, s, None) for s in ALL_STRATEGIES]
    cases += [(NER_SUBWORDS, s, None) for s in ["simple", "first", "average", "max"]]
    cases += [
        ("François Hollande met Björn Borg in Zürich and São Paulo.", "simple", None),
        ("東京は日本の首都です。Tokyo is in Japan.", "simple", None),
        ("Marie Curie loved 🍕 in Warsaw 🎉 with Tom Hanks.", "average", None),
        ("Barack   Obama    visited  New   York .", "max", None),
        ("Ⅻ Grzegorz ☃ lives in ꙮ Chrząszczyrzewoszyce.", "none", None),
        ("Ⅻ Grzegorz ☃ lives in ꙮ Chrząszczyrzewoszyce.", "first", None),
        ("  Emmanuel Macron\nspoke in\tBrussels.  ", "first", None),
        ("ＦＵＬＬ　ｗｉｄｔｈ ﬁne Zürich", "simple", None),
        (NER_LONG, "none", None),
        (NER_LONG, "simple", None),
        (NER_LONG, "simple", 0),
    ]
    cases += [(NER_LONG, s, stride) for s in ["simple", "first", "average", "max"]]
    errors = [(NER_LONG, "none", stride), (NER_SHORT, "simple", spec["max_tokens"]),
              # Below model_max_length, so the pipeline lets it through, but not below max_tokens minus the special
              # tokens: the Rust tokenizer panics (PanicException).
              (NER_LONG, "simple", spec["max_tokens"] - 2)]
    return cases, errors


def error_text(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def py(v):
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


# --------------------------------------------------------------------------------------------
# The oracle: Hugging Face pipelines over the saved model folder.
# --------------------------------------------------------------------------------------------
def hf_pair_encoding(hf_tok, premise, hypothesis):
    """What ZeroShotClassificationPipeline._parse_and_tokenize feeds the model for one pair."""
    try:
        return hf_tok([[premise, hypothesis]], truncation="only_first")["input_ids"][0], True
    except Exception as e:
        if "too short" not in str(e):
            raise
        return hf_tok([[premise, hypothesis]], truncation=False)["input_ids"][0], False


def raw_pair_encoding(raw, max_tokens, premise, hypothesis):
    """The same from tokenizer.json alone, as the Java server reads it."""
    raw.enable_truncation(max_tokens, strategy="only_first")
    try:
        return raw.encode(premise, hypothesis), True
    except Exception as e:
        if "too short" not in str(e):
            raise
        raw.no_truncation()
        return raw.encode(premise, hypothesis), False
    finally:
        raw.no_truncation()


def zero_shot_scores(logits, entailment_id, multi_label):
    """ZeroShotClassificationPipeline.postprocess on one sequence's [n_labels, n_classes] logits."""
    if multi_label or logits.shape[0] == 1:
        contradiction_id = -1 if entailment_id == 0 else 0
        ec = logits[:, [contradiction_id, entailment_id]].astype(np.float64)
        return np.exp(ec[:, 1]) / np.exp(ec).sum(-1)
    e = logits[:, entailment_id].astype(np.float64)
    return np.exp(e) / np.exp(e).sum()


def run_nli(name, spec, hf_dir, sess, raw, report):
    clf = pipeline("zero-shot-classification", model=hf_dir, tokenizer=hf_dir, device="cpu")
    hf_tok = clf.tokenizer
    assert hf_tok.model_max_length == spec["max_tokens"], hf_tok.model_max_length
    entailment_id = clf.entailment_id
    cases, errors = zero_shot_cases(name, hf_tok)
    out, out_err = [], []
    sim_worst, sim_notes = 0.0, []
    for text, labels, multi, template in cases + errors:
        rec = {"model": name, "text": text, "labels": labels, "multi_label": multi, "hypothesis_template": template}
        try:
            res = clf(text, candidate_labels=labels, multi_label=multi, hypothesis_template=template)
        except Exception as e:
            rec["error"] = error_text(e)
            out_err.append(rec)
            continue
        rec["expected"] = {"labels": res["labels"], "scores": [float(s) for s in res["scores"]]}
        encs, truncated = [], []
        for label in labels:
            hyp = template.format(label)
            hf_ids, hf_trunc = hf_pair_encoding(hf_tok, text, hyp)
            enc, trunc = raw_pair_encoding(raw, spec["max_tokens"], text, hyp)
            if list(enc.ids) != list(hf_ids) or trunc != hf_trunc:
                raise SystemExit(f"{name}: tokenizer.json and the pipeline's tokenizer disagree on {text!r} / {hyp!r}")
            encs.append(enc)
            truncated.append(trunc)
        rec["input_ids"] = [list(e.ids) for e in encs]
        if not all(truncated):
            rec["note"] = ("the hypothesis of " + ", ".join(repr(l) for l, t in zip(labels, truncated) if not t) +
                           " does not fit in max_tokens with the premise truncated away: tokenizers raised 'Sequence "
                           "to truncate too short', and the pipeline re-encoded that pair without any truncation")
            rec["untruncated_lengths"] = {l: len(e.ids) for l, e, t in zip(labels, encs, truncated) if not t}
        # The Java server's way: every label of the request in one ONNX batch, padded with 0.
        eos_counts = sorted({e.ids.count(raw.token_to_id(hf_tok.sep_token)) for e in encs})
        ref = dict(zip(res["labels"], res["scores"]))
        try:
            logits = run_onnx(sess, server_batch(encs, spec["inputs"]))
            scores = zero_shot_scores(logits, entailment_id, multi)
            batch = f"differs from the pipeline by {max(abs(float(s) - ref[l]) for l, s in zip(labels, scores)):.3g}"
            diff = max(abs(float(s) - ref[l]) for l, s in zip(labels, scores))
        except Exception as e:
            batch, diff = f"fails ({str(e).splitlines()[0][:200]})", None
        if len(eos_counts) > 1:
            # Rows holding different numbers of separators (a label containing the separator token).
            singles = np.concatenate([run_onnx(sess, server_batch([e], spec["inputs"])) for e in encs])
            single_scores = zero_shot_scores(singles, entailment_id, multi)
            single_diff = max(abs(float(s) - ref[l]) for l, s in zip(labels, single_scores))
            rec["note"] = (f"rows hold {eos_counts} {hf_tok.sep_token} tokens: an ONNX batch of all labels {batch}; "
                           f"one ONNX run per label differs by {single_diff:.3g}")
            sim_notes.append(rec["note"])
        elif diff is None:
            raise SystemExit(f"{name}: ONNX batch failed on {text!r}: {batch}")
        else:
            sim_worst = max(sim_worst, diff)
        out.append(rec)
    report["zero_shot_server_simulation_max_abs_diff"] = sim_worst
    if sim_notes:
        report["zero_shot_server_simulation_notes"] = sim_notes
    return out, out_err


def run_ner(name, spec, hf_dir, sess, raw, report):
    pipes = {}
    cases, errors = ner_cases(spec)
    out, out_err = [], []
    heuristic_warned = False
    for text, strategy, stride in cases + errors:
        rec = {"model": name, "text": text, "aggregation_strategy": strategy, "stride": stride}
        try:
            key = (strategy, stride)
            if key not in pipes:
                kw = {"stride": stride} if stride is not None else {}
                pipes[key] = pipeline("token-classification", model=hf_dir, tokenizer=hf_dir, device="cpu",
                                      aggregation_strategy=strategy, **kw)
            ner = pipes[key]
            assert ner.tokenizer.model_max_length == spec["max_tokens"]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = ner(text)
            heuristic_warned |= any("fallback heuristic" in str(w.message) for w in caught)
        except BaseException as e:  # pyo3's PanicException is a BaseException
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            rec["error"] = error_text(e)
            out_err.append(rec)
            continue
        rec["expected"] = [{k: py(v) for k, v in ent.items()} for ent in res]
        out.append(rec)
        # tokenizer.json alone gives the same windows as the pipeline's tokenizer.
        hf_tok = ner.tokenizer
        kw = dict(return_overflowing_tokens=True, stride=stride, padding=True) if stride is not None else {}
        hf = hf_tok(text, truncation=True, return_offsets_mapping=True, **kw)
        raw.enable_truncation(spec["max_tokens"], stride=stride or 0)
        enc = raw.encode(text)
        raw.no_truncation()
        windows = [enc] + list(enc.overflowing) if stride is not None else [enc]
        hf_ids = hf["input_ids"] if stride is not None else [hf["input_ids"]]
        hf_off = hf["offset_mapping"] if stride is not None else [hf["offset_mapping"]]
        for w, ids, offs in zip(windows, hf_ids, hf_off):
            n = len(w.ids)
            if list(w.ids) != list(ids[:n]) or [tuple(o) for o in w.offsets] != [tuple(o) for o in offs[:n]]:
                raise SystemExit(f"{name}: tokenizer.json and the pipeline's tokenizer disagree on {text!r}")
        if len(windows) != len(hf_ids):
            raise SystemExit(f"{name}: {len(windows)} windows from tokenizer.json, {len(hf_ids)} from the pipeline")
        rec["input_ids"] = [list(w.ids) for w in windows]
    labelled = sum(1 for r in out if r["aggregation_strategy"] == "none" for e in r["expected"])
    report["entities_in_none_cases"] = labelled
    report["hf_warned_fallback_heuristic"] = heuristic_warned  # "Tokenizer does not support real words"
    return out, out_err


# --------------------------------------------------------------------------------------------
# Task fixtures: text-classification, rerank and tokenize (expected-tasks.json).
# --------------------------------------------------------------------------------------------
TC_TEXTS = [
    "I love pizza and pasta from Italy.",
    "The weather is terrible and the match was cancelled.",
    "The café in Zürich was naïve about prices.",
    "We ate 🍕 and celebrated 🎉 tonight!",
    "東京は日本の首都です",
    "The   football    team  won   again.",
    "Ⅻ ☃ ꙮ ᚠᚢᚦ Grzegorz lives in Chrząszczyrzewoszyce.",
    "  leading and trailing spaces \n\t",
    "OK",
    "ＦＵＬＬ　ｗｉｄｔｈ ﬁne Zürich",
    "Stock markets fell sharply in Tokyo and London.",
    "The new phone 📱 has a fast processor and a bright screen.",
    LONG_PREMISE,
    NER_LONG,
    "",
]
# Beyond the 256 position embeddings: the pipeline, which does not truncate unless asked, fails on it.
TC_TOO_LONG = " ".join([LONG_PREMISE] * 6)
# Every text gets these calls; a text longer than max_tokens gets them with truncation=True (what a server that
# truncates answers) and, in addition, the first two without it (what HF answers by default: the whole text).
TC_CALLS = [{}, {"top_k": None}, {"top_k": 1}, {"top_k": 2}, {"top_k": None, "function_to_apply": "softmax"},
            {"top_k": None, "function_to_apply": "sigmoid"}, {"top_k": None, "function_to_apply": "none"},
            {"function_to_apply": "none"}]

RERANK_CASES = [
    ("Where is the capital of Germany?",
     ["Berlin is the capital of Germany.", "Tokyo is the capital of Japan and Berlin is the capital of Germany.",
      "I love pizza and pasta from Italy.", "The bank raised interest rates to fight inflation."]),
    ("Who painted pictures in Paris?",
     ["The museum in Paris shows paintings by Claude Monet.",
      "The orchestra played music by Johann Sebastian Bach in Leipzig.", "Heavy rain and storms hit the coast."]),
    ("café in Zürich",
     ["The café in Zürich serves coffee and cake to tourists.", "Björn Borg won the tennis final in Stockholm.",
      "São Paulo is the largest city in Brazil.", "Dr. Müller and Mrs. Øster met at the Crédit Agricole office.",
      ""]),
    ("東京",
     ["東京は日本の都市です。", "東京と大阪は日本にあります。", "Tokyo is the capital of Japan.",
      "We ate 🍕 and celebrated 🎉 tonight!"]),
    ("🍕 pizza party 🎉",
     ["We ate 🍕 and celebrated 🎉 tonight!", "We cooked dinner with fresh tomatoes and cheese.",
      "The rocket launched into space and reached orbit."]),
    # Texts longer than max_tokens: the pair is truncated (longest_first cuts the text, the longer side).
    ("What happened to the economy?",
     [LONG_PREMISE, NER_LONG, "Stock markets fell sharply in Tokyo and London.",
      "The   football    team  won   again.", "The president gave a speech about the economy and taxes.",
      "Ⅻ ☃ ꙮ ᚠᚢᚦ"]),
    # A query longer than max_tokens on its own: longest_first still fits every pair (it cuts the query too),
    # only_second cannot ("Sequence to truncate too short").
    (LONG_PREMISE,
     ["The football team won.", "Scientists discovered a new planet near a distant star.", NER_LONG]),
    ("  Scientists   discovered a new planet \n",
     ["Scientists discovered a new planet near a distant star.", "The rocket launched into space and reached orbit.",
      "The doctor said the patient was healthy.", "The students studied history and science at the university.",
      "ＦＵＬＬ　ｗｉｄｔｈ ﬁne", "OK"]),
]


def sigmoid64(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def softmax64(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max())
    return e / e.sum()


def model_logits(model, tok, *texts, **kw):
    """The torch model's logits for one text (or one pair), batch of one, as the pipeline runs it."""
    with torch.no_grad():
        return [float(v) for v in model(**tok(*texts, return_tensors="pt", **kw)).logits[0]]


def default_function(logits, score):
    """Which function_to_apply reproduces the default call's top score: what the pipeline chose for this model."""
    found = [name for name, f in (("softmax", softmax64), ("sigmoid", sigmoid64), ("none", np.asarray))
             if abs(float(np.max(f(np.asarray(logits, dtype=np.float64)))) - score) < 1e-6]
    return found[0] if len(found) == 1 else "ambiguous: " + ", ".join(found)


def run_text_classification(name, spec, hf_dir, sess, raw, report, texts):
    clf = pipeline("text-classification", model=hf_dir, tokenizer=hf_dir, device="cpu")
    tok, M = clf.tokenizer, spec["max_tokens"]
    assert tok.model_max_length == M, tok.model_max_length
    out, errors, shapes, encs, chosen = [], [], [], [], set()
    raw.enable_truncation(M)
    for text in texts:
        ids = tok(text, truncation=True)["input_ids"]
        enc = raw.encode(text)
        if list(enc.ids) != list(ids):
            raise SystemExit(f"{name}: tokenizer.json and the pipeline's tokenizer disagree on {text!r}")
        encs.append(enc)
        length = len(tok(text)["input_ids"])
        rec = {"model": name, "text": text, "input_ids": list(ids), "length": length, "truncated": length > M,
               "logits": model_logits(clf.model, tok, text, truncation=True)}
        calls = TC_CALLS
        if rec["truncated"]:
            rec["logits_untruncated"] = model_logits(clf.model, tok, text)
            calls = [dict(c, truncation=True) for c in TC_CALLS] + TC_CALLS[:2]
        rec["calls"] = [{"kwargs": kw, "output": clf(text, **kw)} for kw in calls]
        # The default call's score is one of the functions of the (truncated) logits: note which.
        first = rec["calls"][0]["output"][0]
        chosen.add(default_function(rec["logits"], first["score"]))
        out.append(rec)
    raw.no_truncation()
    if len(chosen) != 1:
        raise SystemExit(f"{name}: the default function_to_apply is not one function: {chosen}")
    report["function_to_apply_default_observed"] = chosen.pop()
    # The Java server's way: every text in one ONNX batch, padded with 0, against the pipeline model's logits.
    got = run_onnx(sess, server_batch(encs, spec["inputs"]))
    report["text_classification_server_simulation_max_abs_diff"] = max(
        float(np.abs(got[i] - np.asarray(r["logits"])).max()) for i, r in enumerate(out))
    for kw in [{}, {"top_k": None}]:
        try:
            clf(TC_TOO_LONG, **kw)
            raise SystemExit(f"{name}: expected the pipeline to fail on a text beyond the position embeddings")
        except Exception as e:
            errors.append({"model": name, "text": TC_TOO_LONG, "kwargs": kw,
                           "length": len(tok(TC_TOO_LONG)["input_ids"]), "error": error_text(e)})
    # Output shapes: a list input, and top_k given when the pipeline is made rather than when it is called.
    shapes.append({"model": name, "pipeline_kwargs": {}, "inputs": texts[:2], "kwargs": {},
                   "output": clf(texts[:2])})
    shapes.append({"model": name, "pipeline_kwargs": {}, "inputs": texts[:2], "kwargs": {"top_k": None},
                   "output": clf(texts[:2], top_k=None)})
    made = pipeline("text-classification", model=hf_dir, tokenizer=hf_dir, device="cpu", top_k=None)
    shapes.append({"model": name, "pipeline_kwargs": {"top_k": None}, "inputs": texts[0], "kwargs": {},
                   "output": made(texts[0])})
    if spec["kind"] == "rerank":
        q, t = RERANK_CASES[0][0], RERANK_CASES[0][1][0]
        for kw in [{}, {"top_k": None}]:
            shapes.append({"model": name, "pipeline_kwargs": {}, "inputs": {"text": q, "text_pair": t}, "kwargs": kw,
                           "output": clf({"text": q, "text_pair": t}, **kw)})
    return out, errors, shapes


def run_rerank(name, spec, hf_dir, sess, raw, report):
    from sentence_transformers import CrossEncoder

    tok = transformers.AutoTokenizer.from_pretrained(hf_dir)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(hf_dir).eval()
    M = spec["max_tokens"]
    ce = CrossEncoder(hf_dir, device="cpu", local_files_only=True, max_length=M)
    assert isinstance(ce.activation_fn, torch.nn.Sigmoid), ce.activation_fn
    out, worst_ce, worst_onnx = [], 0.0, 0.0
    for query, texts in RERANK_CASES:
        pairs, encs = [], []
        for i, text in enumerate(texts):
            # Pairs are encoded as a batch of one, as CrossEncoder does: tokenizer(query, "") alone would drop the
            # empty text (transformers tests `if text_pair`), a batch keeps it as TEI does ([CLS] q [SEP] [SEP]).
            enc = {k: v[0] for k, v in tok([query], [text], truncation="longest_first", max_length=M).items()}
            raw.enable_truncation(M, strategy="longest_first")
            r = raw.encode(query, text)
            raw.no_truncation()
            if list(r.ids) != list(enc["input_ids"]) or list(r.type_ids) != list(enc["token_type_ids"]):
                raise SystemExit(f"{name}: tokenizer.json and the HF tokenizer disagree on {query!r} / {text!r}")
            encs.append(r)
            length = len(tok([query], [text])["input_ids"][0])
            logit = model_logits(model, tok, [query], [text], truncation="longest_first", max_length=M)[0]
            p = {"index": i, "input_ids": list(enc["input_ids"]), "token_type_ids": list(enc["token_type_ids"]),
                 "length": length, "truncated": length > M, "logit": logit, "score": float(sigmoid64(logit))}
            if list(tok(query, text, truncation="longest_first", max_length=M)["input_ids"]) != p["input_ids"]:
                p["note"] = ("tokenizer(query, text) with this one pair (not a batch) gives other ids: transformers "
                             "drops an empty text_pair there")
            try:
                enc2 = {k: v[0] for k, v in tok([query], [text], truncation="only_second", max_length=M).items()}
                if len(enc2["input_ids"]) > M:
                    raise ValueError(f"only_second left {len(enc2['input_ids'])} tokens")
                logit2 = model_logits(model, tok, [query], [text], truncation="only_second", max_length=M)[0]
                p["only_second"] = {"input_ids": list(enc2["input_ids"]), "logit": logit2,
                                    "score": float(sigmoid64(logit2))}
            except Exception as e:
                p["only_second"] = {"error": error_text(e)}
            pairs.append(p)
        ce_logits = ce.predict([(query, t) for t in texts], activation_fn=torch.nn.Identity())
        ce_scores = ce.predict([(query, t) for t in texts])
        ranked = ce.rank(query, texts)
        worst_ce = max(worst_ce, max(abs(float(a) - p["logit"]) for a, p in zip(ce_logits, pairs)))
        for p, s in zip(pairs, ce_scores):
            p["cross_encoder_score"] = float(s)
        onnx_logits = run_onnx(sess, server_batch(encs, spec["inputs"]))[:, 0]
        worst_onnx = max(worst_onnx, max(abs(float(a) - p["logit"]) for a, p in zip(onnx_logits, pairs)))
        order = sorted(range(len(pairs)), key=lambda i: (-pairs[i]["score"], i))
        rec = {"model": name, "query": query, "texts": texts, "max_tokens": M, "pairs": pairs, "order": order,
               "cross_encoder_rank": [{"corpus_id": int(r["corpus_id"]), "score": float(r["score"])} for r in ranked]}
        if all("logit" in p["only_second"] for p in pairs):
            rec["order_only_second"] = sorted(range(len(pairs)), key=lambda i: (-pairs[i]["only_second"]["score"], i))
        if [r["corpus_id"] for r in ranked] != order:
            rec["note"] = "CrossEncoder.rank orders these differently from the longest_first logits (a near tie)"
        out.append(rec)
    if worst_ce >= 1e-4:
        raise SystemExit(f"{name}: CrossEncoder.predict and the longest_first logits differ by {worst_ce}")
    report["cross_encoder_vs_longest_first_max_abs_diff"] = worst_ce
    report["rerank_server_simulation_max_abs_diff"] = worst_onnx
    report["cross_encoder_activation_fn"] = type(ce.activation_fn).__name__
    return out


def utf_offsets(text, offsets, unit):
    """Code point offsets (Python str indices, what the tokenizers Python binding returns) in UTF-16 or UTF-8 units."""
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + (len(ch.encode("utf-16-le")) // 2 if unit == 16 else len(ch.encode("utf-8"))))
    return [[prefix[s], prefix[e]] for s, e in offsets]


def tokenize_records(name, max_tokens, hf_tok, raw):
    """What the fast tokenizer gives for TEI's /tokenize-like requests; tokenizer.json alone must agree."""
    variants = [(t, True, None) for t in PROBE_TEXTS + [""]]
    variants += [(NER_LONG, True, None), (NER_LONG, True, max_tokens), (PROBE_TEXTS[0], False, None),
                 (PROBE_TEXTS[3], False, None)]
    out = []
    for text, special, trunc in variants:
        kw = dict(truncation=True, max_length=trunc) if trunc else {}
        hf = hf_tok(text, add_special_tokens=special, return_offsets_mapping=True, return_special_tokens_mask=True,
                    **kw)
        if trunc:
            raw.enable_truncation(trunc)
        enc = raw.encode(text, add_special_tokens=special)
        raw.no_truncation()
        offsets = [list(o) for o in hf["offset_mapping"]]
        if (list(enc.ids) != list(hf["input_ids"]) or list(enc.tokens) != hf.tokens() or
                [list(o) for o in enc.offsets] != offsets or
                list(enc.special_tokens_mask) != list(hf["special_tokens_mask"])):
            raise SystemExit(f"{name}: tokenizer.json and the HF tokenizer disagree on {text!r} (tokenize)")
        special_mask = [bool(m) for m in hf["special_tokens_mask"]]
        out.append({"model": name, "text": text, "add_special_tokens": special,
                    "truncation": {"max_length": trunc, "strategy": "longest_first"} if trunc else None,
                    "ids": list(hf["input_ids"]), "tokens": hf.tokens(), "special": special_mask,
                    "offsets": offsets, "offsets_utf16": utf_offsets(text, offsets, 16),
                    "offsets_utf8": utf_offsets(text, offsets, 8),
                    "texts": [tk if sp else text[s:e] for tk, sp, (s, e) in zip(hf.tokens(), special_mask, offsets)]})
    return out


def existing_tokenizer_records(name, spec, work):
    """Tokenize records for an expected.json model without rebuilding it: its tokenizer alone is rebuilt (cheap,
    deterministic), must be byte-identical to the committed tokenizer.json, and is then loaded the way the pipeline
    loads it (AutoTokenizer over the saved folder)."""
    tok = build_tokenizer(spec["tok"], spec["max_tokens"])
    tok_dir = os.path.join(work, name + "-tokenizer")
    tok.save_pretrained(tok_dir)
    committed = os.path.join(OUT, name, "tokenizer.json")
    if sha256(os.path.join(tok_dir, "tokenizer.json")) != sha256(committed):
        raise SystemExit(f"{name}: the rebuilt tokenizer.json differs from the committed one")
    raw = Tokenizer.from_file(committed)
    raw.no_truncation()
    raw.no_padding()
    return tokenize_records(name, spec["max_tokens"], transformers.AutoTokenizer.from_pretrained(tok_dir), raw)


def build_task_one(name, spec, work):
    tok, model, hf_dir, out_dir, onnx_path, sess, raw = export_fixture(name, spec, work)

    report = {"kind": spec["kind"], "architecture": type(model).__name__, "max_tokens": spec["max_tokens"],
              "num_labels": model.config.num_labels, "problem_type": model.config.problem_type,
              "id2label": {str(k): v for k, v in model.config.id2label.items()},
              "onnx_inputs": [i.name for i in sess.get_inputs()], "tokenizer_class": type(tok).__name__,
              "tokenizer": tokenizer_info(os.path.join(out_dir, "tokenizer.json"))}
    report["tokenizer"].update({"pad_token_id": tok.pad_token_id, "unk_token_id": tok.unk_token_id,
                                "cls_token": tok.cls_token, "sep_token": tok.sep_token, "vocab_size": len(tok)})
    if spec["kind"] == "rerank":
        flat = [(q, t) for q, ts in RERANK_CASES for t in ts][:14]
        texts, pairs = [q for q, _ in flat], [t for _, t in flat]
        raw.enable_truncation(spec["max_tokens"], strategy="longest_first")
    else:
        texts, pairs = TC_TEXTS[:14], None
        raw.enable_truncation(spec["max_tokens"])
    report["onnx_vs_torch_max_abs_diff"] = check_onnx_vs_torch(sess, model, spec, tok, texts, pairs)
    report["padded_batch_vs_single_max_abs_diff"] = check_padding(sess, spec, raw, texts, pairs)
    raw.no_truncation()
    if report["padded_batch_vs_single_max_abs_diff"] > 1e-5:
        print(f"WARNING {name}: a row padded in a batch differs from the row alone by "
              f"{report['padded_batch_vs_single_max_abs_diff']}", file=sys.stderr)

    records = {}
    tc_texts = TC_TEXTS if spec["kind"] == "text-classification" else TC_TEXTS[:8] + [LONG_PREMISE]
    records["text_classification"], records["text_classification_errors"], records["text_classification_shapes"] = \
        run_text_classification(name, spec, hf_dir, sess, raw, report, tc_texts)
    records["rerank"] = run_rerank(name, spec, hf_dir, sess, raw, report) if spec["kind"] == "rerank" else []
    records["tokenize"] = tokenize_records(name, spec["max_tokens"], transformers.AutoTokenizer.from_pretrained(hf_dir),
                                           raw)
    for f in ("model.onnx", "tokenizer.json", "config.json"):
        p = os.path.join(OUT, name, f)
        report.setdefault("files", {})[f] = {"bytes": os.path.getsize(p), "sha256": sha256(p)}
    return report, records


# --------------------------------------------------------------------------------------------
# Main.
# --------------------------------------------------------------------------------------------
def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def export_fixture(name, spec, work):
    """Builds the model and tokenizer of a fixture, saves them for transformers under work/ and
    exports model.onnx, tokenizer.json and config.json to the fixture's folder; returns what the
    checks and the oracle need next."""
    tok = build_tokenizer(spec["tok"], spec["max_tokens"])
    model = build_model(name, spec, tok)
    hf_dir = os.path.join(work, name)
    model.save_pretrained(hf_dir)
    tok.save_pretrained(hf_dir)
    out_dir = os.path.join(OUT, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    for f in ("tokenizer.json", "config.json"):
        shutil.copyfile(os.path.join(hf_dir, f), os.path.join(out_dir, f))
    onnx_path = os.path.join(out_dir, "model.onnx")
    export_onnx(model, spec, tok, onnx_path)
    sess = ort_session(onnx_path)
    raw = Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
    raw.no_truncation()
    raw.no_padding()
    return tok, model, hf_dir, out_dir, onnx_path, sess, raw


def build_one(name, spec, work):
    tok, model, hf_dir, out_dir, onnx_path, sess, raw = export_fixture(name, spec, work)

    report = {"kind": spec["kind"], "max_tokens": spec["max_tokens"]}
    if spec["kind"] == "token-classification":
        report["stride"] = spec["stride"]
    report["id2label"] = {str(k): v for k, v in model.config.id2label.items()}
    report["onnx_inputs"] = [i.name for i in sess.get_inputs()]
    report["tokenizer_class"] = type(tok).__name__
    report["tokenizer"] = tokenizer_info(os.path.join(out_dir, "tokenizer.json"))
    report["tokenizer"].update({"pad_token_id": tok.pad_token_id, "unk_token_id": tok.unk_token_id,
                                "cls_token": tok.cls_token, "sep_token": tok.sep_token,
                                "vocab_size": len(tok)})

    if spec["kind"] == "nli":
        cases, _ = zero_shot_cases(name, tok)
        pairs = [(t, tpl.format(l)) for t, labels, _, tpl in cases for l in labels[:3]][:12]
        texts, hyps = [p for p, _ in pairs], [h for _, h in pairs]
        report["onnx_vs_torch_max_abs_diff"] = check_onnx_vs_torch(sess, model, spec, tok, texts, hyps)
        raw.enable_truncation(spec["max_tokens"], strategy="only_first")
        report["padded_batch_vs_single_max_abs_diff"] = check_padding(sess, spec, raw, texts, hyps)
        raw.no_truncation()
    else:
        texts = [NER_SHORT, NER_SUBWORDS, NER_LONG] + [c[0] for c in ner_cases(spec)[0][9:17]]
        report["onnx_vs_torch_max_abs_diff"] = check_onnx_vs_torch(sess, model, spec, tok, texts)
        raw.enable_truncation(spec["max_tokens"])
        report["padded_batch_vs_single_max_abs_diff"] = check_padding(sess, spec, raw, texts)
        raw.no_truncation()
    if report["padded_batch_vs_single_max_abs_diff"] > 1e-5:
        print(f"WARNING {name}: a row padded in a batch differs from the row alone by "
              f"{report['padded_batch_vs_single_max_abs_diff']}", file=sys.stderr)

    if spec["kind"] == "nli":
        zs, zs_err = run_nli(name, spec, hf_dir, sess, raw, report)
        report["entailment_id"] = pipeline_entailment_id(model)
        return report, zs, zs_err, [], []
    prefix = getattr(tok.backend_tokenizer.model, "continuing_subword_prefix", None)
    ner, ner_err = run_ner(name, spec, hf_dir, sess, raw, report)
    report["is_subword_rule"] = ("len(token) != len(text[start:end])  (backend model continuing_subword_prefix="
                                 f"{prefix!r} is truthy)" if prefix else
                                 "fallback heuristic: start > 0 and ' ' not in text[start-1:start+1]  (backend model "
                                 f"continuing_subword_prefix={prefix!r} is falsy)")
    return report, [], [], ner, ner_err


def pipeline_entailment_id(model):
    for label, ind in model.config.label2id.items():
        if label.lower().startswith("entail"):
            return ind
    return -1


TASK_NOTES = {
    "text_classification_shapes": (
        "pipeline('text-classification')(text) with no top_k in the call returns a list holding one dict, the top "
        "label: [{label, score}]. With top_k in the call (an int or None) it returns a list of dicts sorted by score, "
        "descending (top_k=None: every label; top_k=k: the first k; top_k=1: a list of one). A list of texts with no "
        "top_k gives one dict per text; with top_k, one list per text. top_k given to pipeline() rather than to the "
        "call still wraps a single text's answer in one more list (see text_classification_shapes)."),
    "function_to_apply_default": (
        "transformers 5.18 TextClassificationPipeline.postprocess: problem_type 'regression' -> none (raw logits); "
        "else problem_type 'multi_label_classification' or num_labels == 1 -> sigmoid; else problem_type "
        "'single_label_classification' or num_labels > 1 -> softmax. models.<name>.function_to_apply_default_observed "
        "is what each model's default answers were found to be."),
    "text_classification_truncation": (
        "The pipeline does not truncate unless truncation=True is passed (then at tokenizer.model_max_length = "
        "max_tokens): a longer text runs whole while it fits the position embeddings (256) and fails beyond "
        "(text_classification_errors). For texts longer than max_tokens, logits/input_ids are the truncated run "
        "(calls with kwargs.truncation=true), logits_untruncated the whole one (the calls without it)."),
    "rerank_truncation": (
        "pairs.logit is the model on tokenizer(query, text, truncation='longest_first', max_length=max_tokens): what "
        "sentence-transformers' CrossEncoder (processor kwargs truncation='longest_first') and TEI "
        "(TruncationStrategy::LongestFirst when truncate=true) do. longest_first removes tokens from the longer side "
        "one at a time, so a long query is cut too. pairs.only_second is the alternative that keeps the query whole; "
        "it fails when the query alone does not fit. score = sigmoid(logit) (CrossEncoder's default activation for "
        "num_labels=1, TEI's unless raw_scores); order = indices by score descending, ties by index."),
    "tokenize_offsets": (
        "offsets are what the tokenizers Python binding returns: Python str indices, i.e. Unicode code points "
        "(an emoji counts 1). offsets_utf16 are the same in UTF-16 code units (Java String indices: an emoji counts "
        "2), offsets_utf8 in UTF-8 bytes (what the Rust library's plain encode() returns). special marks the tokens "
        "the post-processor added ([CLS], </s>...), not <unk>. texts: the token's slice of the input, or the token "
        "itself when special (the shape of TEI's /tokenize text field). Records exist once per distinct "
        "tokenizer.json: a model whose tokenizer.json is byte-identical to another's has "
        "models.<name>.tokenizer_same_as, and that model's untruncated records apply (checked here to be equal); "
        "its own truncated records (at its max_tokens) are there under its own name."),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="build only these models (expected.json is then not rewritten, and "
                                              "expected-tasks.json only when all of its models are built)")
    args = ap.parse_args()
    unknown = set(args.only or []) - set(SPECS) - set(TASK_SPECS)
    if unknown:
        raise SystemExit(f"unknown models: {sorted(unknown)}; known: {list(SPECS) + list(TASK_SPECS)}")
    names = [n for n in list(SPECS) + list(TASK_SPECS) if not args.only or n in args.only]
    versions = {"generator": "scripts/make_hf_fixtures.py", "transformers": transformers.__version__,
                "tokenizers": tokenizers.__version__, "torch": torch.__version__, "onnx": onnx.__version__,
                "onnxruntime": ort.__version__, "opset": OPSET}
    expected = dict(versions, models={}, zero_shot=[], zero_shot_errors=[], ner=[], ner_errors=[])
    import sentence_transformers
    tasks = dict(versions, **{"sentence_transformers": sentence_transformers.__version__}, notes=TASK_NOTES,
                 models={}, text_classification=[], text_classification_errors=[], text_classification_shapes=[],
                 rerank=[], tokenize=[])
    write_tasks = set(TASK_SPECS) <= set(names)
    with tempfile.TemporaryDirectory(prefix="hf-fixtures-") as work:
        for name in names:
            print(f"== {name}", flush=True)
            if name in TASK_SPECS:
                report, records = build_task_one(name, TASK_SPECS[name], work)
                tasks["models"][name] = report
                for k, v in records.items():
                    tasks[k] += v
            else:
                report, zs, zs_err, ner, ner_err = build_one(name, SPECS[name], work)
                expected["models"][name] = report
                expected["zero_shot"] += zs
                expected["zero_shot_errors"] += zs_err
                expected["ner"] += ner
                expected["ner_errors"] += ner_err
                for f in ("model.onnx", "tokenizer.json", "config.json"):
                    p = os.path.join(OUT, name, f)
                    report.setdefault("files", {})[f] = {"bytes": os.path.getsize(p), "sha256": sha256(p)}
            print(json.dumps({k: v for k, v in report.items() if k not in ("files",)}, ensure_ascii=False,
                             indent=1), flush=True)
        if write_tasks:
            # The tokenize oracle covers the expected.json models' committed tokenizers (not rebuilt) and each new
            # model's tokenizer.json unless it is byte-identical to one already covered (tokenizer_same_as).
            existing = []
            for name in SPECS:
                existing += existing_tokenizer_records(name, SPECS[name], work)
            covered = {sha256(os.path.join(OUT, n, "tokenizer.json")): n for n in SPECS}
            kept = []
            for name in TASK_SPECS:
                mine = [r for r in tasks["tokenize"] if r["model"] == name]
                same = covered.setdefault(tasks["models"][name]["files"]["tokenizer.json"]["sha256"], name)
                if same == name:
                    kept += mine
                    continue
                # Truncated records depend on max_tokens, which is the model's own: those are kept.
                tasks["models"][name]["tokenizer_same_as"] = same
                theirs = [dict(r, model=name) for r in existing + kept if r["model"] == same and not r["truncation"]]
                if [r for r in mine if not r["truncation"]] != theirs:
                    raise SystemExit(f"{name}: same tokenizer.json as {same}, but its tokenizer class answers differ")
                kept += [r for r in mine if r["truncation"]]
            tasks["tokenize"] = existing + kept
    if args.only:
        print("--only: expected.json left as it was")
    else:
        path = os.path.join(OUT, "expected.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"wrote {path}: {len(expected['zero_shot'])} zero-shot cases, {len(expected['zero_shot_errors'])} "
              f"zero-shot errors, {len(expected['ner'])} NER cases, {len(expected['ner_errors'])} NER errors")
    if not write_tasks:
        print("expected-tasks.json left as it was (built only when all of " + ", ".join(TASK_SPECS) + " are)")
        return
    path = os.path.join(OUT, "expected-tasks.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tasks, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(tasks['text_classification'])} text-classification texts, "
          f"{len(tasks['rerank'])} rerank queries, {len(tasks['tokenize'])} tokenize cases")


if __name__ == "__main__":
    main()
