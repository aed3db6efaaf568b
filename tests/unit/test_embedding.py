"""The passage memo: each distinct text is encoded once, in order, within its bound; stored vectors by text."""

from __future__ import annotations

import numpy as np

from advisor.embedding import PassageMemo, load_passage_vectors, save_passage_vectors, text_key


def _encoder(calls: list[list[str]]):
    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)
    return encode


def test_each_distinct_text_is_encoded_once_and_vectors_keep_their_order():
    calls: list[list[str]] = []
    memo = PassageMemo()
    first = memo.embed(["碳", "配额", "碳"], _encoder(calls))
    again = memo.embed(["配额", "园区", "碳"], _encoder(calls))
    assert calls == [["碳", "配额"], ["园区"]]
    assert first.tolist() == [[1, ord("碳")], [2, ord("配")], [1, ord("碳")]]
    assert again.tolist() == [[2, ord("配")], [2, ord("园")], [1, ord("碳")]]


def test_the_memo_holds_at_most_its_size_the_least_recently_used_going_first():
    calls: list[list[str]] = []
    memo = PassageMemo(size=2)
    memo.embed(["a", "bb"], _encoder(calls))
    memo.embed(["a"], _encoder(calls))  # "a" used again: "bb" is now the oldest
    memo.embed(["ccc"], _encoder(calls))
    memo.embed(["a", "bb"], _encoder(calls))
    assert calls == [["a", "bb"], ["ccc"], ["bb"]]


def test_nothing_to_embed_gives_the_model_s_own_empty_shape():
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.zeros((len(texts), 3), dtype=np.float32)

    assert PassageMemo().embed([], encode).shape == (0, 3) and calls == [[]]


def test_known_vectors_are_used_and_only_the_rest_is_encoded(tmp_path):
    path = tmp_path / "vectors.npz"
    assert save_passage_vectors(path, "model-a", ["碳", "配额", "碳"], np.array([[1, 0], [0, 1], [1, 0]])) == 2
    known = load_passage_vectors(path, "model-a")
    assert set(known) == {text_key("碳"), text_key("配额")}
    calls: list[list[str]] = []
    out = PassageMemo(known=known).embed(["配额", "园区", "碳"], _encoder(calls))
    assert calls == [["园区"]]
    assert out.tolist() == [[0, 1], [2, ord("园")], [1, 0]]
    assert not path.with_name("vectors.npz.tmp").exists()


def test_another_model_s_or_a_damaged_file_is_ignored(tmp_path):
    path = tmp_path / "vectors.npz"
    save_passage_vectors(path, "model-a", ["碳"], np.array([[1.0, 0.0]]))
    assert load_passage_vectors(path, "model-b") == {}
    assert load_passage_vectors(tmp_path / "absent.npz", "model-a") == {}
    assert load_passage_vectors(None, "model-a") == {}
    path.write_bytes(path.read_bytes()[:40])  # cut short
    assert load_passage_vectors(path, "model-a") == {}
    path.write_bytes(b"not a zip at all")
    assert load_passage_vectors(path, "model-a") == {}


def test_the_shipped_vectors_are_read_on_the_first_passage_to_embed_and_once(tmp_path):
    path = tmp_path / "vectors.npz"
    save_passage_vectors(path, "model-a", ["碳"], np.array([[1.0, 0.0]]))
    reads: list[int] = []

    def load() -> dict[str, np.ndarray]:
        reads.append(1)
        return load_passage_vectors(path, "model-a")

    memo = PassageMemo(load_known=load)
    assert reads == []  # opening an embedder reads nothing
    calls: list[list[str]] = []
    assert memo.embed(["碳", "园区"], _encoder(calls)).tolist()[0] == [1.0, 0.0]
    memo.embed(["配额"], _encoder(calls))
    assert reads == [1] and calls == [["园区"], ["配额"]]
