"""Document numbering patterns (pure). Allocation under lock lives in storage/numbering.py."""
