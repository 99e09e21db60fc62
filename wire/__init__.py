"""Agency copy in: ninjs and NewsML-G2 items, the private Wire page, and the publish guards."""
