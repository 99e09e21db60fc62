"""Reader ratings: built in the ratings issue."""
