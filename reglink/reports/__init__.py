"""The reports on a flagged run, one audience each.

- :func:`write_report`: ``report.html`` for the analyst working a case (self-contained,
  offline, printable): run summary, model quality, ranked flags with their evidence records,
  link confidences and match weights, and a network view of each subject.
- :func:`export_graph`: the entity–record–organisation graph as GraphML and as entity/link
  CSV files for i2 Analyst's Notebook.
- :func:`write_stats`: ``stats.html`` and ``stats.csv`` for the policy team: de-identified
  counts on systemic loopholes with statistical disclosure control
  (:class:`DisclosurePolicy`).

Modules: ``analyst`` (the report), ``evidence`` (records side by side, links per flag),
``matchweights`` (per-comparison weights via Splink), ``network`` (graph building),
``graph_export`` (GraphML, i2 CSV), ``policy_stats`` (the figures), ``disclosure``
(suppression and rounding), ``stats_report`` (stats.csv, stats.html), ``charts`` (SVG),
``render`` (escaping templates, inlined assets), ``loading`` and ``storesql`` (reading the run).
"""

from reglink.reports.analyst import write_report
from reglink.reports.disclosure import DisclosurePolicy, policy_from_mapping, protect
from reglink.reports.graph_export import export_graph
from reglink.reports.policy_stats import StatsOptions, options_from_mapping
from reglink.reports.stats_report import write_stats

__all__ = [
    "DisclosurePolicy",
    "StatsOptions",
    "export_graph",
    "options_from_mapping",
    "policy_from_mapping",
    "protect",
    "write_report",
    "write_stats",
]
