"""Stage 6, the report: the results file written as results arrive, the HTML report, and the history of runs."""
