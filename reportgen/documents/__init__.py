"""PLAN: one module per document kind; each turns a Dataset into typed template contexts."""
