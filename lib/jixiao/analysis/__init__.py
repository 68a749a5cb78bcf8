"""Analysis of a loaded workbook: derived figures, consistency checks, scoring."""
