"""reportgen: Arabic right-to-left PDF documents from a natural-production-cluster workbook."""

__version__ = "0.1.0"
