"""The workbook: its format (spec), parsing cells, loading and validating, templates."""
