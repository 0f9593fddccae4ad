"""Reference tables of the standardisers (a package so the CSVs ship as package data)."""
