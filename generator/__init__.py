"""Static site from YAML review submissions: load → validate → aggregate → render → site."""
