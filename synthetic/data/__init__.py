"""Reference data for the generator (name frequencies, places, sponsors) as CSV files."""
