"""jixiao (绩效): township performance self-evaluation reports from one workbook a year."""

__version__ = "0.1.0"
