"""Use cases (one per button / CLI verb). They combine domain rules with adapters."""
