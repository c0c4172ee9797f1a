"""Load benchmark of the API against a raw-SQL floor (`make bench`); see benchmarks/README.md."""
