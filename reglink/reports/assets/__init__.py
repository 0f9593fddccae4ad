"""Templates, scripts and style sheets inlined into the HTML reports."""
