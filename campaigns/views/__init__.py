"""Public pages: representatives by postcode, campaigns and the letter a supporter writes."""
