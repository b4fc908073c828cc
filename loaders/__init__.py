"""Reading notices and extracting their facts (read → extract)."""
