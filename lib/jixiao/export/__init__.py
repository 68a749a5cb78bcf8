"""Output formats: nbconvert exporters for HTML, PDF (WeasyPrint) and Word."""
