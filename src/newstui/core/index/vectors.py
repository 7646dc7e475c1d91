"""The related scorer's arithmetic on word vectors, in numpy: no Python loop per word.

`related.similar` imports this module on its first call (numpy takes about 0.1 s to import,
which commands that never rank related stories should not pay). Words are the integer ids
of `related_term`, and a query's weights are a dense array indexed by id (a lookup per word
is then a gather; the ids are compact, so it is at most 8 bytes a word of the library).
Sums add their terms in the order the pure-Python scorer did, but for the per-document sums
(`Vector.scores`: one sum of weight * tf, where it summed per group of equal counts).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import cast

import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.uint32]
Floats = npt.NDArray[np.float64]
_LITTLE_ENDIAN = sys.byteorder == "little"  # postings keys are native uint64s


class Batch:
    """Documents' stored words end to end: entry i is word `ids[i]` of document
    `owner[i]` (0 to size - 1), with its BM25 term weight `tf[i]`."""

    __slots__ = ("bounds", "ids", "owner", "size", "tf")

    def __init__(
        self,
        lengths: Sequence[int],
        ids: Sequence[bytes],
        counts: Sequence[bytes],
        avg_length: float,
        k1: float,
    ) -> None:
        self.size = len(counts)
        self.ids: Ids = np.frombuffer(b"".join(ids), dtype=np.uint32)
        n = np.frombuffer(b"".join(counts), dtype=np.uint8).astype(np.float64)
        sizes = np.fromiter(map(len, counts), dtype=np.intp, count=self.size)
        self.owner = np.repeat(np.arange(self.size), sizes)
        self.bounds = np.concatenate(([0], np.cumsum(sizes)))
        # tf = n (k1 + 1) / (n + k1 len / avg): saturating, length-normalised
        scale = k1 * np.maximum(np.asarray(lengths, dtype=np.float64), 1.0) / avg_length
        self.tf: Floats = n * (k1 + 1) / (n + scale[self.owner])

    def entries(self, members: Sequence[int]) -> tuple[Ids, Floats]:
        """The words and term weights of these documents, in this order."""
        if not members:
            return np.zeros(0, dtype=np.uint32), np.zeros(0)
        picked = np.concatenate([np.arange(self.bounds[m], self.bounds[m + 1]) for m in members])
        return self.ids[picked], self.tf[picked]


def at(table: Floats, ids: Ids) -> Floats:
    """table[ids], with 0 for ids past its end (its last value is 0)."""
    return table[np.minimum(ids, len(table) - 1)]


class Vector:
    """A weighted query: a weight per word id (0 for words it does not hold)."""

    __slots__ = ("weights",)

    def __init__(self, ids: Ids, weights: Floats, base: Vector | None = None) -> None:
        """`weights` for `ids` (unique), added to `base`'s."""
        size = max(int(ids.max()) + 2 if len(ids) else 1, len(base.weights) if base else 1)
        self.weights: Floats = np.zeros(size)
        if base is not None:
            self.weights[: len(base.weights)] = base.weights
        self.weights[ids] += weights

    def scores(self, batch: Batch) -> Floats:
        """Each document's sum of weight * tf over its words."""
        return _sums(batch.owner, at(self.weights, batch.ids) * batch.tf, batch.size)

    def shared(
        self, batch: Batch, member: int, idfs: Floats, min_idf: float
    ) -> list[tuple[float, int]]:
        """(weight * tf, id) of the words a document shares with this vector, for those
        whose idf (in `idfs`, by id) is at least `min_idf`."""
        start, stop = batch.bounds[member], batch.bounds[member + 1]
        ids, tf = batch.ids[start:stop], batch.tf[start:stop]
        weights = at(self.weights, ids)
        found = (weights > 0) & (at(idfs, ids) >= min_idf)
        return list(zip((weights * tf)[found].tolist(), ids[found].tolist(), strict=True))


def _sums(where: npt.NDArray[np.intp], values: Floats, size: int = 0) -> Floats:
    """The sum of `values` at each position of `where` (0 to size - 1 or its max)."""
    return cast(Floats, np.bincount(where, weights=values, minlength=size))


def word_sums(ids: Ids, values: Floats) -> tuple[Ids, Floats]:
    """Each distinct word of `ids` (sorted) and the sum of its `values`."""
    every, where = np.unique(ids, return_inverse=True)
    return every.astype(np.uint32), _sums(where, values)


def best_postings(lists: Sequence[tuple[bytes, float]], query: int, most: int) -> list[int]:
    """The `most` documents with the largest sums of weight * strength over these postings
    lists (each list's head, with its word's weight); ties in order of first appearance."""
    rowids, values = [], []
    for entries, weight in lists:
        halves = np.frombuffer(entries[: len(entries) - len(entries) % 8], dtype=np.uint32)
        low, high = halves[0::2], halves[1::2]
        rowid, strength = (low, high) if _LITTLE_ENDIAN else (high, low)
        rowids.append(rowid)
        values.append(strength.astype(np.float64) * weight)
    if not rowids:
        return []
    every, first, where = np.unique(np.concatenate(rowids), return_index=True, return_inverse=True)
    sums = _sums(where, np.concatenate(values))
    keep = every != query
    every, first, sums = every[keep], first[keep], sums[keep]
    order = np.lexsort((first, -sums))[:most]
    found: list[int] = every[order].tolist()
    return found


def ranked(values: Floats) -> list[int]:
    """Positions by falling value, ties in order (as `sorted(..., reverse=True)`)."""
    order: list[int] = np.argsort(-values, kind="stable").tolist()
    return order


def filed(
    rowids: Sequence[int],
    lengths: Sequence[int],
    heads: Sequence[bytes],
    counts: Sequence[bytes],
    weights: Floats,
    avg_length: float,
    k1: float,
    most: int,
    scale: int,
) -> tuple[Ids, npt.NDArray[np.uint64]]:
    """Where documents are filed: each under its `most` words of the largest tf * weight
    (`weights` by id; ties in stored order) among `heads`, those of a weight above 0. Gives
    the words, and the postings keys round(tf * scale) << 32 | rowid."""
    batch = Batch(lengths, heads, counts, avg_length, k1)
    score = at(weights, batch.ids) * batch.tf
    # one row of scores per document (0 past its words), sorted row by row
    starts = batch.bounds[:-1]
    width = int(np.diff(batch.bounds).max()) if batch.size else 0
    table = np.zeros((batch.size, width))
    table[batch.owner, np.arange(len(score)) - starts[batch.owner]] = score
    best = np.argsort(-table, axis=1, kind="stable")[:, :most]
    chosen = np.take_along_axis(table, best, axis=1) > 0
    kept = (starts[:, None] + best)[chosen]
    strength = np.rint(batch.tf[kept] * scale).astype(np.uint64)
    owners = np.asarray(rowids, dtype=np.uint64)[batch.owner[kept]]
    return batch.ids[kept], (strength << np.uint64(32)) | owners


def grouped(words: Sequence[Ids], keys: Sequence[npt.NDArray[np.uint64]]) -> dict[int, list[int]]:
    """Each word's keys (the word of each key in `words`)."""
    every = np.concatenate(words) if words else np.zeros(0, dtype=np.uint32)
    order = np.argsort(every, kind="stable")
    every = every[order]
    listed: list[int] = np.concatenate(keys)[order].tolist() if keys else []
    starts = np.flatnonzero(np.diff(every, prepend=-1) != 0) if len(every) else order
    bounds = [*starts.tolist(), len(every)]
    return {
        word: listed[start:stop]
        for word, start, stop in zip(every[starts].tolist(), bounds, bounds[1:], strict=False)
    }


def grown(table: Floats | None, size: int) -> Floats:
    """`table` (NaN if None) made at least `size` long, the new places NaN."""
    if table is not None and len(table) >= size:
        return table
    old = 0 if table is None else len(table)
    bigger = np.full(max(size, old + old // 2), np.nan)
    if table is not None:
        bigger[:old] = table
    return bigger
