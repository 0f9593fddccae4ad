"""A recordlinkage baseline on the same mentions: its usual blocking, comparison and ECM.

``python -m bench.baseline RUN_DIR TRUTH_DIR`` reads the mentions reglink extracted (one row
per person per role, the fields as recorded, cleaned with recordlinkage's ``clean``), then
follows recordlinkage's documented pipeline: full-key blocking on surname and on date of
birth, Jaro-Winkler, Levenshtein and exact comparisons of given name, surname, date of
birth, postcode and address, and the unsupervised ECM classifier. Matches are clustered by
connected components and scored with reglink's own evaluation. Prints JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd
import recordlinkage
from recordlinkage.preprocessing import clean

from resolver.evaluate import evaluate, read_truth


def _mentions(run_dir: Path) -> pd.DataFrame:
    con = duckdb.connect(str(run_dir / "reglink.duckdb"), read_only=True)
    frame = con.execute(
        """
        SELECT mention_id, source,
               coalesce(forenames, '') AS given_name,
               coalesce(surname, '') AS surname,
               strftime(dob, '%Y-%m-%d') AS dob,
               upper(replace(coalesce(postcode, ''), ' ', '')) AS postcode,
               coalesce(address, '') AS address
        FROM mentions ORDER BY mention_id
        """
    ).df()
    con.close()
    for column in ("given_name", "surname", "address"):  # recordlinkage's own cleaning
        frame[column] = clean(frame[column])
    # an empty value is missing, not a value two records can agree on
    frame = frame.replace("", None)
    return frame.set_index("mention_id")


def run(run_dir: Path, truth_dir: Path) -> dict[str, object]:
    """Index, compare, classify and cluster; the figures as a dict."""
    mentions = _mentions(run_dir)
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("surname")
    indexer.block("dob")
    pairs = indexer.index(mentions)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("dob", "dob")
    compare.exact("postcode", "postcode")
    compare.string("address", "address", method="levenshtein", threshold=0.85)
    features = compare.compute(pairs, mentions)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    graph = nx.Graph()
    graph.add_nodes_from(mentions.index)
    graph.add_edges_from(matches)
    entity = {
        m: f"C{k}" for k, component in enumerate(nx.connected_components(graph)) for m in component
    }
    seconds = time.perf_counter() - started
    entities = pd.DataFrame(
        {
            "mention_id": mentions.index,
            "entity_id": [entity[m] for m in mentions.index],
            "source": mentions["source"].to_numpy(),
        }
    )
    truth = read_truth(truth_dir)
    result = evaluate(entities, truth)
    person = truth.set_index("mention_id")["person_id"]
    true_links = sum(person.get(a) == person.get(b) for a, b in matches)
    total_true = int((lambda n: (n * (n - 1) // 2).sum())(person.value_counts()))
    link_precision = true_links / len(matches) if len(matches) else 1.0
    link_recall = true_links / total_true if total_true else 1.0
    return {
        "links_f1": 2 * link_precision * link_recall / (link_precision + link_recall or 1),
        "seconds": round(seconds, 2),
        "candidate_pairs": len(pairs),
        "pairwise_f1": result.pairwise_f1,
        "pairwise_precision": result.pairwise_precision,
        "pairwise_recall": result.pairwise_recall,
        "bcubed_f1": result.bcubed_f1,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
