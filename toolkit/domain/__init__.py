"""Pure domain: policy, county report schema, rules and findings. No I/O here."""
