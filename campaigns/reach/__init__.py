"""Reach: where supporters come from (source codes) and the postcode step other sites embed."""
