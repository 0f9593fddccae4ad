"""GraphML and i2 entity/link CSV exports of the demo run."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
from typer.testing import CliRunner

from reglink.cli import app
from reglink.reports.graph_export import ENTITY_COLUMNS, LINK_COLUMNS, strength
from reglink.reports.loading import load_flags
from resolver.store import open_store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def test_graphml_holds_every_flagged_subject_and_its_evidence(demo_run: Path) -> None:
    graph = nx.read_graphml(demo_run / "network.graphml")
    with open_store(demo_run) as con:
        flags = load_flags(con)
    top = flags[0]
    father = f"person:{top['subject']}"
    assert graph.nodes[father]["type"] == "person"
    assert graph.nodes[father]["is_flag_subject"] is True
    assert top["flag_id"] in graph.nodes[father]["flag_ids"]
    births = [n for n in graph.neighbors(father) if graph.nodes[n].get("source") == "births"]
    assert len(births) == top["details"]["n_registrations"]
    for flag in flags:
        for mention in flag["evidence"]:
            source, _, rest = mention.partition(":")
            assert f"record:{source}:{rest.rpartition(':')[0]}" in graph, mention
    edge = graph.edges[father, births[0]]
    assert edge["relation"] == "father" and 0 < edge["probability"] <= 1


def test_i2_files_are_consistent_and_typed(demo_run: Path) -> None:
    entities = pd.read_csv(demo_run / "network_entities.csv", dtype=str, keep_default_na=False)
    links = pd.read_csv(demo_run / "network_links.csv", dtype=str, keep_default_na=False)
    assert list(entities.columns) == list(ENTITY_COLUMNS)
    assert list(links.columns) == list(LINK_COLUMNS)
    assert entities["entity_id"].is_unique and links["link_id"].is_unique
    ids = set(entities["entity_id"])
    assert set(links["from_id"]) <= ids and set(links["to_id"]) <= ids
    assert {"Person", "Birth registration", "Address"} <= set(entities["entity_type"])
    assert set(links["strength"]) <= {"Confirmed", "Unconfirmed", "Tentative"}
    named = links[links["link_type"] == "Named on"]
    assert named["from_id"].str.startswith("person:").all()
    graph = nx.read_graphml(demo_run / "network.graphml")
    assert len(entities) == graph.number_of_nodes() and len(links) == graph.number_of_edges()


def test_link_strength_bands() -> None:
    assert [strength(p) for p in (None, 0.99, 0.9, 0.5)] == [
        "Confirmed",
        "Confirmed",
        "Unconfirmed",
        "Tentative",
    ]


def test_every_export_column_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for column in (*ENTITY_COLUMNS, *LINK_COLUMNS):
        assert re.search(rf"^\| `{column}` \|", text, re.MULTILINE), column


def test_export_graph_all_writes_the_whole_run(demo_run: Path) -> None:
    result = CliRunner().invoke(app, ["export-graph", str(demo_run), "--all"])
    assert result.exit_code == 0, result.output
    whole = nx.read_graphml(demo_run / "network_all.graphml")
    flagged = nx.read_graphml(demo_run / "network.graphml")
    assert whole.number_of_nodes() > flagged.number_of_nodes()
    with open_store(demo_run) as con:
        n_entities = con.execute("SELECT count(DISTINCT entity_id) FROM entities").fetchone()
    persons = [n for n, d in whole.nodes(data=True) if d["type"] == "person"]
    assert len(persons) == n_entities[0]  # type: ignore[index]
    help_text = CliRunner().invoke(app, ["export-graph", "--help"])
    assert help_text.exit_code == 0 and "i2" in help_text.output


def test_person_label_is_the_most_common_name_with_ties_to_the_first(demo_run: Path) -> None:
    graph = nx.read_graphml(demo_run / "network.graphml")
    with open_store(demo_run) as con:
        names = con.execute(
            "SELECT e.entity_id, trim(coalesce(m.forenames, '') || ' ' || "
            "coalesce(m.surname, '')) AS name, count(*) AS n "
            "FROM entities AS e JOIN mentions AS m USING (mention_id) GROUP BY ALL"
        ).df()
    names = names[names["name"] != ""].sort_values(
        ["n", "name"], ascending=[False, True], kind="stable"
    )
    expected = names.drop_duplicates("entity_id").set_index("entity_id")["name"]
    people = [n for n, d in graph.nodes(data=True) if d.get("type") == "person"]
    tied = 0
    for node in people:
        entity = graph.nodes[node]["entity_id"]
        assert graph.nodes[node]["label"] == expected.get(entity, entity), entity
        counts = names[names["entity_id"] == entity]["n"].tolist()
        tied += len(counts) > 1 and counts[0] == counts[1]
    assert tied > 0, "the demo has no tied names, so the tie-break is untested"
