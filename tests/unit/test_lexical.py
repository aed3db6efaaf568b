"""The BM25 side saved per index generation: loaded only for exactly the chunks it was built on."""

from __future__ import annotations

from advisor.lexical import LexicalIndex
from advisor.tokenization import tokenize

TEXTS = ["园区应建设能碳管理平台，实施能耗在线监测。", "推进屋顶分布式光伏建设，配置储能设施。", "开展碳排放核算与碳足迹认证。"]


def _index(generation: int = 3) -> LexicalIndex:
    return LexicalIndex(generation, ["a", "b", "c"], ["d1", "d1", "d2"], [tokenize(t) for t in TEXTS])


def test_saved_index_answers_like_the_built_one(tmp_path):
    built = _index()
    path = tmp_path / "bm25" / "generation-3.npz"
    built.save(path)
    loaded = LexicalIndex.load(path, 3, ["a", "b", "c"])
    assert loaded is not None
    for query in ("能碳管理平台", "分布式光伏 储能", "碳足迹"):
        assert loaded.search(query, 3) == built.search(query, 3)
    assert loaded.idf("光伏") == built.idf("光伏") and loaded.knows("储能") and loaded.doc_of("c") == "d2"
    assert loaded.search("光伏", 3, allowed_docs={"d2"}) == []


def test_stale_or_damaged_files_are_not_used(tmp_path):
    path = tmp_path / "generation-3.npz"
    _index().save(path)
    assert LexicalIndex.load(path, 4, ["a", "b", "c"]) is None  # another generation
    assert LexicalIndex.load(path, 3, ["a", "b"]) is None  # other chunks
    path.write_bytes(b"not a numpy file")
    assert LexicalIndex.load(path, 3, ["a", "b", "c"]) is None
    assert LexicalIndex.load(tmp_path / "missing.npz", 3, ["a"]) is None
