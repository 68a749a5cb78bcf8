"""Building a report: the section context and sections, execution, stitching, publishing."""
