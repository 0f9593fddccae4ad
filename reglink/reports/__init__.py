"""The reports on a flagged run: the analyst's report, graph exports, policy statistics."""
