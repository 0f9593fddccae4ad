"""report.html of the demo run: self-contained, the top flag complete, weights that add up."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reglink.reports.analyst import write_report
from reglink.reports.evidence import flag_links
from reglink.reports.loading import load_flags
from reglink.reports.matchweights import link_weights
from reglink.reports.render import script_json
from resolver.store import open_store


class Page(HTMLParser):
    """Collects what a browser would fetch, the flags and the embedded data."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.flags: list[dict[str, str]] = []
        self.data = ""
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "srcset", "poster", "data"):
            value = found.get(name)
            if value and not value.startswith("#"):
                self.fetches.append(f"{tag} {name}={value}")
        if tag == "link":
            self.fetches.append(f"link {found}")
        if tag == "details" and "flag" in (found.get("class") or "").split():
            self.flags.append({k: v or "" for k, v in found.items()})
        self._in_data = tag == "script" and found.get("id") == "report-data"

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data += data

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False


@pytest.fixture(scope="module")
def page(demo_run: Path) -> tuple[str, Page]:
    text = (demo_run / "report.html").read_text(encoding="utf-8")
    parsed = Page()
    parsed.feed(text)
    return text, parsed


def test_report_is_self_contained(page: tuple[str, Page]) -> None:
    text, parsed = page
    assert parsed.fetches == []
    assert "default-src 'none'" in unescape(text)  # the page may fetch nothing, even if it tried
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", text)


def test_report_lists_every_flag_ranked_with_the_prolific_father_first(
    demo_run: Path, page: tuple[str, Page]
) -> None:
    text, parsed = page
    with open_store(demo_run) as con:
        flags = load_flags(con)
    assert [f["id"] for f in parsed.flags] == [f["flag_id"] for f in flags]
    top = parsed.flags[0]
    assert top["data-rule"] == "prolific_father" and top["data-severity"] == "high"
    assert "named father of" in top["data-search"]
    for section in ("Run summary", "Model quality", "Rules", "Evidence records as recorded",
                    "Links this flag rests on", "Network view"):  # fmt: skip
        assert section in text


def test_top_flags_network_puts_the_father_among_his_births(
    demo_run: Path, page: tuple[str, Page]
) -> None:
    _, parsed = page
    data = json.loads(parsed.data)
    top = parsed.flags[0]["id"]
    graph = data["graphs"][top]
    with open_store(demo_run) as con:
        flag = load_flags(con)[0]
    assert graph["centre"] == f"person:{flag['subject']}"
    births = {
        e["t"] if e["s"] == graph["centre"] else e["s"]
        for e in graph["edges"]
        if graph["centre"] in (e["s"], e["t"]) and "father" in e["label"]
    }
    assert len(births) == flag["details"]["n_registrations"] >= 10
    kinds = {n["type"] for n in graph["nodes"]}
    assert {"person", "record", "address"} <= kinds


def test_match_weights_add_up_to_each_links_stored_weight(demo_run: Path) -> None:
    with open_store(demo_run) as con:
        flags = load_flags(con)
        links = flag_links(con, {f["flag_id"]: f["evidence"] for f in flags[:5]})
    pairs = {(k.mention_l, k.mention_r): k for rows in links.values() for k in rows}
    assert len(pairs) >= 10
    weights = link_weights(demo_run, pairs)
    assert set(weights) == set(pairs)
    for pair, explained in weights.items():
        total = explained.prior + sum(c.weight for c in explained.contributions)
        assert total == pytest.approx(pairs[pair].match_weight, abs=1e-6)
        assert explained.match_weight == pytest.approx(pairs[pair].match_weight, abs=1e-6)
        assert all(c.level for c in explained.contributions)


def test_flag_links_are_the_links_inside_the_subjects_entity(demo_run: Path) -> None:
    with open_store(demo_run) as con:
        flag = load_flags(con)[0]
        links = flag_links(con, {flag["flag_id"]: flag["evidence"]})[flag["flag_id"]]
        fathers = [m for m in flag["evidence"] if m.endswith(":father")]
        entity = {
            e for (e,) in con.execute(
                "SELECT DISTINCT entity_id FROM entities WHERE mention_id IN "
                "(SELECT unnest(?::VARCHAR[]))", [fathers],
            ).fetchall()
        }  # fmt: skip
    assert entity == {flag["subject"]}
    joined = [k for k in links if k.in_entity]
    assert joined and all(k.entity_id == flag["subject"] for k in joined)
    touched = {m for k in joined for m in (k.mention_l, k.mention_r)}
    assert set(fathers) <= touched
    assert [k.match_probability for k in joined] == sorted(k.match_probability for k in joined)


def test_the_same_run_gives_the_same_report(demo_run: Path, tmp_path: Path) -> None:
    before = (demo_run / "report.html").read_bytes()
    write_report(demo_run)
    assert (demo_run / "report.html").read_bytes() == before
    assert oct((demo_run / "report.html").stat().st_mode & 0o777) == "0o600"


def test_embedded_json_cannot_close_its_script_element() -> None:
    text = str(script_json({"name": "</script><script>alert(1)</script>", "b": "a & b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"
